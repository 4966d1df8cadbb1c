import { useMemo, useState } from 'react';
import { Button, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/http.ts';
import { jobKeys, jobsApi, useJob } from '../../api/jobs.ts';
import { LineageCanvas } from '../../components/LineageGraph.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import {
  GRAPH_REFRESH_MS,
  graphCanvas,
  LEVEL_COLOURS,
  shownVertex,
  subtaskRows,
  type SubtaskRow,
} from '../../models/job-graph.ts';

/** A moment as the datetime-local input shows it: local time to the second. */
const localInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
};

/**
 * The running job's graph as its JobManager runs it, each vertex (operator chain) bordered in its
 * backpressure level's colour (Flink's thresholds), with its parallelism and records per second, and
 * under it the subtasks of the vertex clicked (at first the most back-pressured); asked again every 5 s.
 * At a moment (picked here or on a Metrics chart): the run that ran then, a finished one too, coloured
 * from Prometheus.
 */
export default function JobGraph({
  name,
  at = null,
  onAt = () => {},
}: {
  name: string;
  /** The moment drawn (ISO 8601), null: live. */
  at?: string | null;
  onAt?: (at: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const state = useJob(name).data?.state;
  const [chosen, setChosen] = useState<string | null>(null);
  const view = useQuery({
    queryKey: [...jobKeys.part(name, 'graph'), state, at],
    queryFn: ({ signal }) => jobsApi.graph(name, signal, at ?? undefined),
    // A past moment's graph does not change.
    refetchInterval: at ? false : GRAPH_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const canvas = useMemo(
    () => view.data && graphCanvas(view.data, (key, value) => t(`graph.${key}`, { value })),
    [view.data, t],
  );
  const shown = view.data ? shownVertex(view.data, chosen) : null;
  const e = view.error;
  const moment = (
    <Space wrap data-testid="graph-moment">
      <Typography.Text>{t('graph.moment')}</Typography.Text>
      <Input
        type="datetime-local"
        step={1}
        style={{ width: 220 }}
        data-testid="graph-at"
        value={at ? localInput(at) : ''}
        onChange={(x) => {
          const d = new Date(x.target.value);
          onAt(x.target.value && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
        }}
      />
      <Button disabled={!at} onClick={() => onAt(null)} data-testid="graph-live">
        {t('graph.live')}
      </Button>
      <Typography.Text type="secondary">{t('graph.pickHint')}</Typography.Text>
    </Space>
  );
  if (e instanceof ApiError && (e.code === 'conflict' || e.status === 400))
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        {moment}
        <Empty data-testid="job-graph-none" description={e.message} />
      </Space>
    );
  if (e && !view.data) return <InlineError error={e} />;
  if (!view.data || !canvas) return <Loading />;
  const shownAt = formatTime(view.data.at, i18n.language);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-graph">
      {moment}
      {e && <InlineError error={e} />}
      <Space wrap>
        <Typography.Text type="secondary" data-testid="graph-source">
          {view.data.source === 'prometheus'
            ? t('graph.fromPrometheus', { run: view.data.run, at: shownAt })
            : t('graph.from', { run: view.data.run, at: shownAt })}
        </Typography.Text>
        {(['ok', 'low', 'high', 'unknown'] as const).map((level) => (
          <Tag key={level} color={LEVEL_COLOURS[level]}>
            {t(`graph.level.${level}`)}
          </Tag>
        ))}
      </Space>
      <LineageCanvas nodes={canvas.nodes} edges={canvas.edges} height={420} onNodeClick={setChosen} />
      {shown && (
        <Table<SubtaskRow>
          data-testid="graph-subtasks"
          size="small"
          pagination={false}
          title={() => t('graph.subtasksOf', { vertex: shown.name })}
          locale={{ emptyText: t('graph.noSubtasks') }}
          dataSource={subtaskRows(shown)}
          columns={[
            { title: t('graph.subtask'), dataIndex: 'subtask' },
            {
              title: t('graph.subtaskBackpressure'),
              dataIndex: 'backpressure',
              render: (text: string | null, row) => (
                <Tag color={LEVEL_COLOURS[row.level]}>{text ?? t('graph.level.unknown')}</Tag>
              ),
            },
            { title: t('graph.subtaskBusy'), dataIndex: 'busy', render: (x: string | null) => x ?? '-' },
            { title: t('graph.subtaskIdle'), dataIndex: 'idle', render: (x: string | null) => x ?? '-' },
          ]}
        />
      )}
    </Space>
  );
}
