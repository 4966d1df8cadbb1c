import { PlusOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { localTime } from '../i18n/index.ts';

/** A page's title, a line saying what it is for, and its main action on the right. */
export function PageHeader({
  title,
  intro,
  action,
}: {
  title: ReactNode;
  intro?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {intro && <Typography.Text type="secondary">{intro}</Typography.Text>}
      </div>
      {action}
    </Space>
  );
}

/**
 * A workspace list page (catalogs, variables, channels...): its header with a "new" button, then the
 * list and whatever forms and drawers it opens.
 */
export function ListPage({
  title,
  intro,
  newLabel,
  newTestId,
  onNew,
  children,
}: {
  title: ReactNode;
  intro: ReactNode;
  newLabel: ReactNode;
  newTestId: string;
  /** Left out: no "new" button (the user may create nowhere). */
  onNew?: (() => void) | undefined;
  children: ReactNode;
}) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader
        title={title}
        intro={intro}
        action={
          onNew && (
            <Button type="primary" icon={<PlusOutlined />} onClick={onNew} data-testid={newTestId}>
              {newLabel}
            </Button>
          )
        }
      />
      {children}
    </Space>
  );
}

/** A workspace list's "Updated" column: the row's updatedAt in the console's language. */
export const updatedAtColumn = (t: (key: string) => string) => ({
  title: t('ws.updatedAt'),
  dataIndex: 'updatedAt' as const,
  render: (v: string) => localTime(v),
});
