import { useMemo } from 'react';
import { Empty, Space, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/http.ts';
import { jobKeys, jobsApi, useJob } from '../../api/jobs.ts';
import { LineageCanvas } from '../../components/LineageGraph.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import { GRAPH_REFRESH_MS, graphCanvas, LEVEL_COLOURS } from '../../models/job-graph.ts';

/**
 * The running job's graph as its JobManager runs it, each vertex (operator chain) bordered in its
 * backpressure level's colour (Flink's thresholds), with its parallelism and records per second;
 * asked again every 5 s.
 */
export default function JobGraph({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const state = useJob(name).data?.state;
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
      <LineageCanvas nodes={canvas.nodes} edges={canvas.edges} height={420} />
    </Space>
  );
}
