import { useMemo, useState } from 'react';
import { Empty, Space, Table, Tag, Typography } from 'antd';
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

/**
 * The running job's graph as its JobManager runs it, each vertex (operator chain) bordered in its
 * backpressure level's colour (Flink's thresholds), with its parallelism and records per second, and
 * under it the subtasks of the vertex clicked (at first the most back-pressured); asked again every 5 s.
 */
export default function JobGraph({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const state = useJob(name).data?.state;
  const [chosen, setChosen] = useState<string | null>(null);
  const view = useQuery({
    queryKey: [...jobKeys.part(name, 'graph'), state],
    queryFn: ({ signal }) => jobsApi.graph(name, signal),
    refetchInterval: GRAPH_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const canvas = useMemo(
    () => view.data && graphCanvas(view.data, (key, value) => t(`graph.${key}`, { value })),
    [view.data, t],
  );
  const shown = view.data ? shownVertex(view.data, chosen) : null;
  const e = view.error;
  if (e instanceof ApiError && e.code === 'conflict')
    return <Empty data-testid="job-graph-none" description={e.message} />;
  if (e && !view.data) return <InlineError error={e} />;
  if (!view.data || !canvas) return <Loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-graph">
      {e && <InlineError error={e} />}
      <Space wrap>
        <Typography.Text type="secondary">
          {t('graph.from', { run: view.data.run, at: formatTime(view.data.at, i18n.language) })}
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
