import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';

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
