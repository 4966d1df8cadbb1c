import { useQuery } from '@tanstack/react-query';
import { Alert, Button, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sqlApi } from '../../api/sql.ts';
import { DiffView } from '../../components/DiffView.tsx';
import { InlineError } from '../../components/Problem.tsx';

/**
 * When the engine of a saved job is changed (another cluster chosen), what `sluice job option-changes
 * --to <version> --rewrite` does for the CLI: the options that change between the two Flink versions,
 * the rewritten script beside the current one, and the rewrite applied on request, to be saved as a new
 * version with the new engine.
 */
export function EngineChange({
  from,
  to,
  sql,
  options,
  onApply,
}: {
  from: string;
  to: string;
  sql: string;
  options: Record<string, string>;
  onApply: (rewritten: { sql: string; options: Record<string, string> }) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const report = useQuery({
    queryKey: ['option-changes', from, to, sql, options],
    queryFn: () => sqlApi.optionChanges({ sql, options, from, to }),
  });
  if (report.isError) return <InlineError error={report.error} />;
  if (!report.data) return null;
  const r = report.data;
  const count = r.findings.length + r.optionFindings.length;
  return (
    <>
      <Alert
        type={count ? 'warning' : 'info'}
        showIcon
        data-testid="engine-change"
        message={t('editor.engineChange.title', { from, to })}
        description={
          count
            ? t('editor.engineChange.some', { count, applied: r.applied, remaining: r.remaining })
            : t('editor.engineChange.none')
        }
        action={
          count ? (
            <Button onClick={() => setOpen(true)} data-testid="engine-change-review">
              {t('editor.engineChange.review')}
            </Button>
          ) : undefined
        }
      />
      <Modal
        open={open}
        width={1100}
        title={t('editor.engineChange.title', { from, to })}
        okText={t('editor.engineChange.apply')}
        okButtonProps={{ id: 'engine-change-apply', disabled: r.applied === 0 }}
        onOk={() => {
          setOpen(false);
          onApply(r.rewritten);
        }}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <List
            size="small"
            data-testid="engine-change-findings"
            dataSource={[
              ...r.findings.map((f) => ({ where: `${f.line}:${f.column}`, ...f })),
              ...r.optionFindings.map((f) => ({ where: t('editor.engineChange.jobOption'), ...f })),
            ]}
            renderItem={(f) => (
              <List.Item>
                <Space wrap>
                  <Typography.Text type="secondary">{f.where}</Typography.Text>
                  <Typography.Text code>{f.key}</Typography.Text>
                  <Tag color={f.rewritable ? 'blue' : 'orange'}>
                    {f.rewritable ? (f.change.to ?? f.change.kind) : t('editor.engineChange.byHand')}
                  </Tag>
                  <Typography.Text>{f.change.note}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          <DiffView before={sql} after={r.rewritten.sql} />
        </Space>
      </Modal>
    </>
  );
}
