import { useState } from 'react';
import { Empty, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { jobKeys } from '../../api/jobs.ts';
import { MetricsBoard } from '../../components/MetricsBoard.tsx';

/**
 * A job's metric charts from Prometheus over a chosen range, asked again every 15 s, and its Grafana
 * dashboard (the same queries) to download; the Kafka lag per partition when switched on (a job may
 * read many partitions: their panels are on demand, in the dashboard too), and records, backpressure and
 * busy time with a line per subtask when switched on.
 */
export function JobMetrics({ name, onPick }: { name: string; onPick?: (at: string) => void }) {
  const { t } = useTranslation();
  const [perPartition, setPerPartition] = useState(false);
  const [perSubtask, setPerSubtask] = useState(false);
  const partitions = {
    ...(perPartition ? { partitions: true } : {}),
    ...(perSubtask ? { subtasks: true } : {}),
  };
  return (
    <MetricsBoard
      queryKey={[...jobKeys.part(name, 'metrics'), perPartition, perSubtask]}
      load={(range, signal) => api.prometheus.jobMetrics(name, { ...range, ...partitions }, signal)}
      grafana={() => api.prometheus.grafanaDashboard(name, partitions)}
      controls={
        <>
          <Switch
            checked={perSubtask}
            onChange={setPerSubtask}
            checkedChildren={t('metrics.perSubtask')}
            unCheckedChildren={t('metrics.perSubtask')}
            data-testid="metrics-per-subtask"
          />
          <Switch
            checked={perPartition}
            onChange={setPerPartition}
            checkedChildren={t('metrics.perPartition')}
            unCheckedChildren={t('metrics.perPartition')}
            data-testid="metrics-per-partition"
          />
        </>
      }
      fileName={`sluice-job-${name}-grafana.json`}
      testId="job-metrics"
      onPick={onPick}
      empty={(e) => (e.code === 'conflict' ? <Empty description={t('metrics.neverRan')} /> : undefined)}
      intro={(view) => (
        <Typography.Paragraph type="secondary">
          {t('metrics.scope', { ids: view.flinkJobIds.join(', '), target: view.target })}
        </Typography.Paragraph>
      )}
    />
  );
}
