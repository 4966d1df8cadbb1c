import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { jobKeys } from '../../api/jobs.ts';
import { MetricsBoard } from '../../components/MetricsBoard.tsx';

/**
 * A job's metric charts from Prometheus over a chosen range, asked again every 15 s, and its Grafana
 * dashboard (the same queries) to download.
 */
export function JobMetrics({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <MetricsBoard
      queryKey={jobKeys.part(name, 'metrics')}
      load={(range, signal) => api.prometheus.jobMetrics(name, range, signal)}
      grafana={() => api.prometheus.grafanaDashboard(name)}
      fileName={`sluice-job-${name}-grafana.json`}
      testId="job-metrics"
      empty={(e) => (e.code === 'conflict' ? <Empty description={t('metrics.neverRan')} /> : undefined)}
      intro={(view) => (
        <Typography.Paragraph type="secondary">
          {t('metrics.scope', { ids: view.flinkJobIds.join(', '), target: view.target })}
        </Typography.Paragraph>
      )}
    />
  );
}
