import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Segmented, Space, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PlatformMetricsView } from '../../../contract/prometheus.ts';
import { ApiError } from '../api/http.ts';
import { InlineError, Loading } from './Problem.tsx';
import { MetricChart } from './MetricChart.tsx';
import { formatTime } from '../models/dates.ts';
import {
  chartOption,
  hasPoints,
  METRIC_RANGES,
  METRIC_REFRESH_MS,
  rangeQuery,
  type MetricRangeKey,
} from '../models/metric-charts.ts';

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
 * Metric charts from Prometheus over a chosen range, asked again every 15 s, and their Grafana
 * dashboard (the same queries) to download: a job's Metrics tab and the Platform page. Without a
 * Prometheus, says so and what to set.
 */
export function MetricsBoard<V extends PlatformMetricsView>({
  queryKey,
  load,
  grafana,
  fileName,
  testId,
  intro,
  empty,
  controls,
  onPick,
}: {
  queryKey: QueryKey;
  load: (range: { from: string; to: string }, signal: AbortSignal) => Promise<V>;
  grafana: () => Promise<unknown>;
  fileName: string;
  testId: string;
  /** What the charts show, above them. */
  intro?: (view: V) => ReactNode;
  /** What to show instead of the charts for an answer that is a refusal of this board's own (a job that never ran). */
  empty?: (e: ApiError) => ReactNode;
  /** More of the board's own switches, in its toolbar (a job's "per partition"). */
  controls?: ReactNode;
  /** A click on a chart picks that moment (a job's: its graph then). */
  onPick?: ((at: string) => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<MetricRangeKey>('1h');
  const view = useQuery({
    queryKey: [...queryKey, range],
    // The range ends now at each refresh.
    queryFn: ({ signal }) => load(rangeQuery(range, new Date()), signal),
    refetchInterval: METRIC_REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const exported = useMutation({ mutationFn: grafana, onSuccess: (doc) => download(fileName, doc) });

  const e = view.error;
  const toolbar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Segmented
        data-testid="metrics-range"
        value={range}
        options={Object.keys(METRIC_RANGES).map((k) => ({ value: k, label: t(`metrics.range.${k}`) }))}
        onChange={(v) => setRange(v as MetricRangeKey)}
      />
      {controls}
      <Button onClick={() => exported.mutate()} loading={exported.isPending} data-testid="metrics-grafana">
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

  const own = e instanceof ApiError ? empty?.(e) : undefined;
  let body;
  if (own) body = own;
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
  else
    body = (
      <>
        {intro?.(view.data)}
        {onPick && <Typography.Paragraph type="secondary">{t('metrics.pickHint')}</Typography.Paragraph>}
        <Panels view={view.data} onPick={onPick} />
      </>
    );

  return (
    <div data-testid={testId}>
      {toolbar}
      {exported.error && <InlineError error={exported.error} />}
      {e && view.data && <InlineError error={e} />}
      {body}
    </div>
  );
}

function Panels({
  view,
  onPick,
}: {
  view: PlatformMetricsView;
  onPick?: ((at: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const options = useMemo(
    () => view.panels.map((p) => ({ panel: p, option: chartOption(p, view), drawn: hasPoints(p) })),
    [view],
  );
  return (
    <Row gutter={[12, 12]}>
      {options.map(({ panel, option, drawn }) => (
        <Col xs={24} xl={12} key={panel.id}>
          <Card
            size="small"
            title={t(`metrics.panel.${panel.id}${panel.perSubtask ? '-per-subtask' : ''}`, {
              defaultValue: panel.title,
            })}
            data-testid={`metric-panel-${panel.id}`}
          >
            {drawn ? (
              <MetricChart
                option={option}
                onPick={onPick && ((ms) => onPick(new Date(Math.round(ms / 1000) * 1000).toISOString()))}
              />
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
  );
}
