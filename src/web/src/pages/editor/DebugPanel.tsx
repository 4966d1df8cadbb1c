import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sqlApi, type DebugRow, type DebugRunView } from '../../api/sql.ts';
import { InlineError } from '../../components/Problem.tsx';

const KIND_COLOR: Record<string, string> = { '+I': 'green', '-U': 'orange', '+U': 'blue', '-D': 'red' };

/** A debug run of the script: sources generate rows, each sink's rows stream in with their change kind. */
export function DebugPanel({
  sql,
  clusterName,
  catalogs,
}: {
  sql: string;
  clusterName?: string | undefined;
  catalogs: string[];
}) {
  const { t } = useTranslation();
  const [run, setRun] = useState<DebugRunView | null>(null);
  const [rows, setRows] = useState<DebugRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const unsubscribe = useRef<() => void>(() => {});
  useEffect(() => () => unsubscribe.current(), []);

  const start = async () => {
    unsubscribe.current();
    setRows([]);
    setError(null);
    try {
      const started = await sqlApi.startDebug({
        sql,
        clusterName,
        catalogs,
        rowLimit: 100,
        timeLimitSeconds: 120,
      });
      setRun(started);
      unsubscribe.current = sqlApi.followDebug(started.id, {
        status: setRun,
        row: (r) => setRows((all) => [...all, r]),
        end: () => undefined,
      });
    } catch (e) {
      setError(e);
    }
  };
  const stop = async () => {
    if (run) await sqlApi.stopDebug(run.id).catch((e: unknown) => setError(e));
  };
  const live = run !== null && !run.endedAt;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button
          type="primary"
          onClick={() => void start()}
          disabled={live || !sql.trim()}
          data-testid="debug-start"
        >
          {t('editor.debug')}
        </Button>
        <Button onClick={() => void stop()} disabled={!live}>
          {t('editor.stopDebug')}
        </Button>
        {run && (
          <Typography.Text data-testid="debug-status">
            {live ? t('debug.running') : t('debug.ended', { reason: run.reason })}
          </Typography.Text>
        )}
      </Space>
      {error !== null && <InlineError error={error} />}
      {run?.problem && (
        <Alert
          type="error"
          showIcon
          message={`${run.problem.line}:${run.problem.column} ${run.problem.message}`}
        />
      )}
      {run?.tables.length ? (
        <Typography.Text type="secondary">
          {t('debug.tables')}: {run.tables.map((x) => `${x.name} (${x.as})`).join(', ')}
        </Typography.Text>
      ) : null}
      {run?.sinks.map((sink) => {
        const own = rows.filter((r) => r.sink === sink.sink);
        return (
          <div key={sink.sink}>
            <Typography.Text strong>
              {t('debug.sink')}: {sink.sink}
            </Typography.Text>
            <Table<DebugRow>
              size="small"
              rowKey="seq"
              data-testid="debug-rows"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={own}
              columns={[
                {
                  title: t('debug.kind'),
                  dataIndex: 'kind',
                  render: (k: string) => <Tag color={KIND_COLOR[k]}>{k}</Tag>,
                },
                ...sink.columns.map((c, i) => ({
                  title: c,
                  key: c + i,
                  render: (_: unknown, r: DebugRow) => (
                    <span data-testid="debug-cell">{JSON.stringify(r.fields[i])}</span>
                  ),
                })),
              ]}
            />
          </div>
        );
      })}
    </Space>
  );
}
