import { useState } from 'react';
import { Alert, Collapse, Empty, Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { jobKeys, jobsApi, useJob, useJobSubmissions } from '../../api/jobs.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import { exceptionRuns, failureItems, whereText } from '../../models/job-exceptions.ts';
import { messageText } from '../../models/message-text.ts';

const tracePre = { fontSize: 12, maxHeight: 400, overflow: 'auto', margin: 0 } as const;

/**
 * Flink's exception history of a run of the job: the root cause first, then each failure, expandable
 * to its chain of causes, its stack trace and the exceptions other tasks threw with it.
 */
export function JobExceptions({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const [run, setRun] = useState<string | undefined>(undefined);
  // A pushed state change (a failure) refetches the job, and with it the history.
  const state = useJob(name).data?.state;
  const submissions = useJobSubmissions(name);
  const view = useQuery({
    queryKey: [...jobKeys.part(name, 'exceptions'), run, state],
    queryFn: () => jobsApi.exceptions(name, run),
  });
  const time = (iso: string) => formatTime(iso, i18n.language);
  if (view.isPending) return <Loading />;
  if (view.isError) return <InlineError error={view.error} />;
  const v = view.data;
  const runs = exceptionRuns(submissions.data ?? []);
  const items = failureItems(v, time);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-exceptions">
      {runs.length > 1 && (
        <Select
          style={{ minWidth: 280 }}
          aria-label={t('exceptions.run')}
          value={v.run ?? undefined}
          onChange={(r: string) => setRun(r)}
          options={runs.map((r) => ({ value: r, label: r }))}
        />
      )}
      {v.note && (
        <Alert
          type="warning"
          showIcon
          data-testid="exceptions-note"
          message={v.noteMessage ? messageText(t, v.noteMessage) : v.note}
        />
      )}
      {v.rootCause && (
        <Alert
          type="error"
          showIcon
          data-testid="exceptions-root-cause"
          message={
            <Typography.Text strong>
              {t(v.source === 'recorded' ? 'exceptions.recordedRootCause' : 'detail.rootCause')}:{' '}
              {v.rootCause.text}
            </Typography.Text>
          }
          description={
            <>
              <div data-testid="exceptions-root-where">{whereText(v.rootCause, time)}</div>
              {v.rootCause.reported && v.rootCause.reported !== v.rootCause.text && (
                <Typography.Text type="secondary">{v.rootCause.reported}</Typography.Text>
              )}
            </>
          }
        />
      )}
      {v.source === 'flink' && !items.length && <Empty description={t('exceptions.none')} />}
      {items.length > 0 && (
        <Collapse
          data-testid="exceptions-failures"
          items={items.map((f) => ({
            key: f.key,
            label: (
              <span data-testid="exception-failure">
                <Typography.Text strong>{f.rootCause}</Typography.Text>{' '}
                <Typography.Text type="secondary">{f.where}</Typography.Text>
              </span>
            ),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <ol style={{ margin: 0 }}>
                  {f.causes.map((c, i) => (
                    <li key={i}>
                      <Typography.Text code>{c}</Typography.Text>
                    </li>
                  ))}
                </ol>
                <pre style={tracePre} data-testid="exception-trace">
                  {f.trace}
                </pre>
                {f.concurrent.length > 0 && (
                  <>
                    <Typography.Text strong>
                      {t('exceptions.concurrent', { count: f.concurrent.length })}
                    </Typography.Text>
                    <Collapse
                      size="small"
                      items={f.concurrent.map((c) => ({
                        key: c.key,
                        label: (
                          <span>
                            {c.rootCause} <Typography.Text type="secondary">{c.where}</Typography.Text>
                          </span>
                        ),
                        children: <pre style={tracePre}>{c.trace}</pre>,
                      }))}
                    />
                  </>
                )}
              </Space>
            ),
          }))}
        />
      )}
      {v.truncated && <Typography.Text type="secondary">{t('exceptions.truncated')}</Typography.Text>}
    </Space>
  );
}
