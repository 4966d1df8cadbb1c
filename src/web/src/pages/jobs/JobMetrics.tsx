import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Segmented, Space, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { JobMetricsView } from '../../../../contract/prometheus.ts';
import { api, ApiError } from '../../api/http.ts';
import { jobKeys } from '../../api/jobs.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { MetricChart } from '../../components/MetricChart.tsx';
import { formatTime } from '../../models/dates.ts';
import {
  chartOption,
  hasPoints,
  METRIC_RANGES,
  METRIC_REFRESH_MS,
  rangeQuery,
  type MetricRangeKey,
} from '../../models/metric-charts.ts';

/** Saves a JSON document as a file the browser downloads. */
function download(fileName: string, doc: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * A job's metric charts from Prometheus over a chosen range, asked again every 15 s, and its Grafana
 * dashboard (the same queries) to download. Without a Prometheus, says so and what to set.
 */
export function JobMetrics({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<MetricRangeKey>('1h');
  const view = useQuery({
    queryKey: [...jobKeys.part(name, 'metrics'), range],
    // The range ends now at each refresh.
    queryFn: ({ signal }) => api.prometheus.jobMetrics(name, rangeQuery(range, new Date()), signal),
    refetchInterval: METRIC_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const grafana = useMutation({
    mutationFn: () => api.prometheus.grafanaDashboard(name),
    onSuccess: (doc) => download(`sluice-job-${name}-grafana.json`, doc),
  });

  const e = view.error;
  const toolbar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Segmented
        data-testid="metrics-range"
        value={range}
        options={Object.keys(METRIC_RANGES).map((k) => ({ value: k, label: t(`metrics.range.${k}`) }))}
        onChange={(v) => setRange(v as MetricRangeKey)}
      />
      <Button onClick={() => grafana.mutate()} loading={grafana.isPending} data-testid="metrics-grafana">
        {t('metrics.exportGrafana')}
      </Button>
      {view.data && (
        <Typography.Text type="secondary">
          {t('metrics.from', {
            prometheus: view.data.prometheus,
            from: formatTime(view.data.from, i18n.language),
            to: formatTime(view.data.to, i18n.language),
            step: view.data.stepSeconds,
          })}
        </Typography.Text>
      )}
    </Space>
  );

  let body;
  if (e instanceof ApiError && e.code === 'conflict') body = <Empty description={t('metrics.neverRan')} />;
  else if (e instanceof ApiError && e.status === 503)
    body = (
      <Alert
        type="warning"
        showIcon
        data-testid="metrics-no-prometheus"
        message={t('metrics.noPrometheus')}
        description={
          <>
            <div data-testid="error-message">{e.message}</div>
            <div>{t('metrics.noPrometheusHow')}</div>
          </>
        }
      />
    );
  else if (e && !view.data) body = <InlineError error={e} />;
  else if (!view.data) body = <Loading />;
  else body = <Panels view={view.data} />;

  return (
    <div data-testid="job-metrics">
      {toolbar}
      {grafana.error && <InlineError error={grafana.error} />}
      {e && view.data && <InlineError error={e} />}
      {body}
    </div>
  );
}

function Panels({ view }: { view: JobMetricsView }) {
  const { t } = useTranslation();
  const options = useMemo(
    () => view.panels.map((p) => ({ panel: p, option: chartOption(p, view), drawn: hasPoints(p) })),
    [view],
  );
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('metrics.scope', { ids: view.flinkJobIds.join(', '), target: view.target })}
      </Typography.Paragraph>
      <Row gutter={[12, 12]}>
        {options.map(({ panel, option, drawn }) => (
          <Col xs={24} xl={12} key={panel.id}>
            <Card
              size="small"
              title={t(`metrics.panel.${panel.id}`, { defaultValue: panel.title })}
              data-testid={`metric-panel-${panel.id}`}
            >
              {drawn ? (
                <MetricChart option={option} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('metrics.noPoints')} />
              )}
              <Typography.Text type="secondary" code copyable style={{ fontSize: 11 }}>
                {panel.query}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
