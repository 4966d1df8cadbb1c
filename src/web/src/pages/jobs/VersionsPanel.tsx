import { App, Button, Empty, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { jobsApi, useJobMutation, useJobVersions, type JobVersion } from '../../api/jobs.ts';
import { DiffView } from '../../components/DiffView.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { Allowed } from '../../components/Spaces.tsx';
import { hasSqlDiff, versionChanges } from '../../models/jar-job.ts';

/** Roll back to a version, asked first; disabled (by `Allowed`): neither asks nor rolls back. */
function RollbackButton({ onConfirm, disabled = false }: { onConfirm: () => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={t('versions.rollback')} onConfirm={onConfirm} disabled={disabled}>
      <Button size="small" disabled={disabled} data-testid="version-rollback">
        {t('versions.rollback')}
      </Button>
    </Popconfirm>
  );
}

/** Version history: compare any two side by side, roll back to an old one (who may change the job's space). */
export function VersionsPanel({ name, space }: { name: string; space: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const versions = useJobVersions(name);
  const [pair, setPair] = useState<[number, number] | null>(null);
  const rollback = useJobMutation((n: number) => jobsApi.rollback(name, n));
  if (versions.isPending) return <Loading />;
  if (versions.isError) return <InlineError error={versions.error} />;
  const list = [...versions.data].sort((a, b) => b.number - a.number);
  const latest = list[0]!.number;
  const [from, to] = pair ?? [Math.max(1, latest - 1), latest];
  const byNumber = new Map(list.map((v) => [v.number, v]));
  const options = list.map((v) => ({ value: v.number, label: `v${v.number}` }));
  const a = byNumber.get(from);
  const b = byNumber.get(to);
  const changed = a && b ? versionChanges(a.content, b.content) : [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<JobVersion>
        rowKey="number"
        size="small"
        pagination={false}
        dataSource={list}
        columns={[
          { title: '#', dataIndex: 'number', render: (n: number) => `v${n}` },
          { title: t('editor.message'), dataIndex: 'message' },
          { title: t('versions.author'), dataIndex: 'author' },
          {
            title: t('jobs.column.updated'),
            dataIndex: 'createdAt',
            render: (v: string) => localTime(v),
          },
          {
            render: (_, v) =>
              v.number === latest ? null : (
                <Allowed space={space} action="change">
                  <RollbackButton
                    onConfirm={() =>
                      rollback.mutate(v.number, {
                        onSuccess: (saved) => {
                          void message.success(t('editor.saved', { n: saved.number }));
                          void versions.refetch();
                        },
                        onError: (e) => void message.error(e.message),
                      })
                    }
                  />
                </Allowed>
              ),
          },
        ]}
      />
      {list.length < 2 ? (
        <Empty description={t('versions.same')} />
      ) : (
        <>
          <Space>
            {t('versions.compare')}
            <Select
              value={from}
              options={options}
              onChange={(v) => setPair([v, to])}
              data-testid="diff-from"
            />
            →
            <Select value={to} options={options} onChange={(v) => setPair([from, v])} data-testid="diff-to" />
          </Space>
          <Typography.Text strong>{t('versions.diff', { from, to })}</Typography.Text>
          {/* A JAR job has no SQL: its diff is the fields below, led by the jar, entry class, arguments, classpath. */}
          {a && b && !hasSqlDiff(a.content, b.content) ? (
            changed.length === 0 && <Typography.Text type="secondary">{t('versions.same')}</Typography.Text>
          ) : a && b && a.content.sql === b.content.sql ? (
            <Typography.Text type="secondary">{t('versions.same')}</Typography.Text>
          ) : (
            a && b && <DiffView before={a.content.sql ?? ''} after={b.content.sql ?? ''} />
          )}
          {changed.length > 0 && (
            <>
              {a && b && hasSqlDiff(a.content, b.content) && (
                <Typography.Text strong>{t('versions.otherChanges')}</Typography.Text>
              )}
              {changed.map((c) => (
                <Typography.Text key={c.field} code data-testid={`change-${c.field}`}>
                  {c.field}: {c.from} → {c.to}
                </Typography.Text>
              ))}
            </>
          )}
        </>
      )}
    </Space>
  );
}
