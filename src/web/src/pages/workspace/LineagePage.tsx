import { Button, Card, Descriptions, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { enc } from '../../api/http.ts';
import { useLineageGraph, type LineageGraph as LineageGraphData } from '../../api/sql.ts';
import { LineageGraph, type LineageSelection } from '../../components/LineageGraph.tsx';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';

type WriteColumn = LineageGraphData['edges'][number]['columns'][number];

/**
 * Lineage across the jobs of the workspace: which job reads and writes which table, joined where
 * jobs name the same external data. `?job=` narrows it to what one job is connected to.
 */
export default function LineagePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const job = params.get('job') || undefined;
  const all = useLineageGraph();
  const graph = useLineageGraph(job);
  const [selection, setSelection] = useState<LineageSelection | null>(null);
  const jobs = useMemo(
    () =>
      (all.data?.nodes ?? [])
        .flatMap((n) => (n.kind === 'job' ? [n.job] : []))
        .sort((a, b) => a.localeCompare(b)),
    [all.data],
  );
  const openJob = (name: string) => void navigate(`/jobs/${enc(name)}`);
  const choose = (j: string | undefined) => {
    setSelection(null);
    setParams(j ? { job: j } : {});
  };

  let body;
  if (graph.isPending) body = <Loading />;
  else if (graph.isError) body = <ErrorPanel error={graph.error} retry={() => void graph.refetch()} />;
  else if (!graph.data.nodes.length)
    body = (
      <Card>
        <Empty description={t(job ? 'ws.lineage.emptyJob' : 'ws.lineage.empty')} data-testid="lineage-empty">
          {!job && (
            <Button type="primary" onClick={() => void navigate('/jobs/new')}>
              {t('ws.lineage.createJob')}
            </Button>
          )}
        </Empty>
      </Card>
    );
  else
    body = (
      <>
        <LineageGraph
          graph={graph.data}
          onOpenJob={openJob}
          onSelect={setSelection}
          highlightJob={job}
          height="62vh"
        />
        {selection && <SelectionCard selection={selection} onOpenJob={openJob} />}
      </>
    );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('ws.lineage.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('ws.lineage.intro')}</Typography.Text>
        </div>
        <Select
          allowClear
          showSearch
          style={{ minWidth: 260 }}
          placeholder={t('ws.lineage.allJobs')}
          value={job}
          onChange={choose}
          loading={all.isPending}
          options={jobs.map((j) => ({ value: j, label: j }))}
          data-testid="lineage-job-filter"
        />
      </Space>
      <Space size="large" wrap>
        <Typography.Text type="secondary">
          <Tag color="blue">{t('ws.lineage.legendJob')}</Tag>
          {t('ws.lineage.legendJobText')}
        </Typography.Text>
        <Typography.Text type="secondary">
          <Tag color="green">{t('ws.lineage.source')}</Tag>
          <Tag color="orange">{t('ws.lineage.sink')}</Tag>
          {t('ws.lineage.legendTableText')}
        </Typography.Text>
        <Typography.Text type="secondary">{t('ws.lineage.legendCycle')}</Typography.Text>
      </Space>
      {body}
    </Space>
  );
}

function SelectionCard({
  selection,
  onOpenJob,
}: {
  selection: LineageSelection;
  onOpenJob: (job: string) => void;
}) {
  const { t } = useTranslation();
  if (selection.kind === 'table') {
    const n = selection.node;
    return (
      <Card size="small" title={t('ws.lineage.tableTitle')} data-testid="lineage-selection">
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'connector', label: t('ws.lineage.connector'), children: n.connector ?? '—' },
            {
              key: 'resource',
              label: t('ws.lineage.resource'),
              children: n.resource ?? t('ws.lineage.private'),
            },
            ...Object.entries(n.identity).map(([k, v]) => ({
              key: `id:${k}`,
              label: k,
              children: <Typography.Text code>{v}</Typography.Text>,
            })),
            {
              key: 'names',
              label: t('ws.lineage.names'),
              children: (
                <Space orientation="vertical" size={0}>
                  {n.names.map((x) => (
                    <span key={`${x.job}/${x.table}`}>
                      <Link to={`/jobs/${enc(x.job)}`}>{x.job}</Link>:{' '}
                      <Typography.Text code>{x.table}</Typography.Text>
                    </span>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    );
  }
  const e = selection.edge;
  return (
    <Card
      size="small"
      data-testid="lineage-selection"
      title={t(e.kind === 'writes' ? 'ws.lineage.writesTitle' : 'ws.lineage.readsTitle', {
        job: e.job,
        table: e.table,
      })}
      extra={
        <Button size="small" onClick={() => onOpenJob(e.job)}>
          {t('ws.lineage.openJob')}
        </Button>
      }
    >
      {e.kind === 'writes' && e.lines.length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('ws.lineage.lines', { lines: e.lines.join(', '), count: e.lines.length })}
        </Typography.Paragraph>
      )}
      {e.kind === 'writes' && e.columns.length ? (
        <Table<WriteColumn>
          size="small"
          pagination={false}
          rowKey={(c) => `${c.column}:${c.expression}`}
          dataSource={e.columns}
          columns={[
            {
              title: t('ws.lineage.sinkColumn'),
              dataIndex: 'column',
              render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
            },
            {
              title: t('ws.lineage.fromColumns'),
              render: (_, c) =>
                c.from.length ? (
                  c.from.map((f) => `${f.table}.${f.column}`).join(', ')
                ) : (
                  <Typography.Text type="secondary">{t('ws.lineage.constant')}</Typography.Text>
                ),
            },
            {
              title: t('ws.lineage.expression'),
              dataIndex: 'expression',
              render: (x: string) => <code>{x}</code>,
            },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">
          {t(e.kind === 'writes' ? 'ws.lineage.noColumns' : 'ws.lineage.readsText')}
        </Typography.Text>
      )}
    </Card>
  );
}
