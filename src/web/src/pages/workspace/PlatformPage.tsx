import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { MetricsBoard } from '../../components/MetricsBoard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

/**
 * The platform at a glance: Sluice's own metrics (jobs by state, submissions, API answer time, tracker
 * rounds) and Flink's of every job, from the Prometheus in use; the same queries as a Grafana dashboard.
 */
export function PlatformPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.platform')} intro={t('platform.intro')} />
      <div style={{ height: 12 }} />
      <MetricsBoard
        queryKey={['platform', 'metrics']}
        load={(range, signal) => api.prometheus.platformMetrics(range, signal)}
        grafana={() => api.prometheus.platformGrafanaDashboard()}
        fileName="sluice-platform-grafana.json"
        testId="platform-metrics"
      />
    </>
  );
}
