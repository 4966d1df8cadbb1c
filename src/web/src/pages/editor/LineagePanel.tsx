import { Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sqlApi, type ScriptLineage } from '../../api/sql.ts';
import { InlineError } from '../../components/Problem.tsx';
import { Allowed } from '../../components/Spaces.tsx';
import { ScriptLineageGraph } from '../../components/ScriptLineageGraph.tsx';

/**
 * The script's lineage on demand: a graph of tables, and sink column <- source columns. Read in the
 * job's space (its variables), by who may run things there.
 */
export function LineagePanel({ sql, space }: { sql: string; space: string | undefined }) {
  const { t } = useTranslation();
  const [lineage, setLineage] = useState<ScriptLineage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    sqlApi.lineage(sql, space).then(
      (l) => {
        setLineage(l);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Allowed space={space} action="run">
        <Button onClick={() => void load()} disabled={!sql.trim()} data-testid="lineage-load">
          {t('editor.lineage')}
        </Button>
      </Allowed>
      {error !== null && <InlineError error={error} />}
      {lineage && (
        <>
          <ScriptLineageGraph lineage={lineage} />
          {lineage.writes.map((w) => (
            <div key={`${w.sink}-${w.line}`}>
              <Typography.Text strong>{t('lineage.sinkAt', { sink: w.sink, line: w.line })}</Typography.Text>
              <Table
                size="small"
                pagination={false}
                rowKey="column"
                dataSource={w.columns}
                columns={[
                  { title: t('lineage.column'), dataIndex: 'column' },
                  {
                    title: t('lineage.from'),
                    render: (_, c) => c.from.map((f) => `${f.table}.${f.column}`).join(', ') || '—',
                  },
                  {
                    title: t('lineage.expression'),
                    dataIndex: 'expression',
                    render: (e: string) => <code>{e}</code>,
                  },
                ]}
              />
            </div>
          ))}
          {lineage.notes.map((n) => (
            <Typography.Text key={`${n.line}-${n.message}`} type="secondary">
              {t('lineage.note', { line: n.line, message: n.message })}
            </Typography.Text>
          ))}
        </>
      )}
    </Space>
  );
}
