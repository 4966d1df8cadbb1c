import { useEffect, useState } from 'react';
import { Alert, Button, Empty, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { jobKeys, jobsApi } from '../../api/jobs.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import { appendFollowed, defaultLogSource, keepMatching, sizeText } from '../../models/job-logs.ts';

/**
 * The logs of the processes a job runs in: a process picker, a search, follow and download. Said
 * whose they are: a job's own application cluster's, or the session cluster's it shares.
 */
export function JobLogs({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const [run, setRun] = useState<string | undefined>(undefined);
  const view = useQuery({
    queryKey: [...jobKeys.part(name, 'logs'), run],
    queryFn: () => jobsApi.logs(name, run),
  });
  const [picked, setPicked] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(false);
  const [followed, setFollowed] = useState('');
  const [followEnded, setFollowEnded] = useState(false);
  const sources = view.data?.sources ?? [];
  const source = picked && sources.some((s) => s.id === picked) ? picked : defaultLogSource(sources);
  const text = useQuery({
    queryKey: [...jobKeys.part(name, 'log'), source, run, search],
    queryFn: () =>
      jobsApi.log(name, source!, {
        ...(search ? { search } : { tail: 1000 }),
        ...(run ? { run } : {}),
      }),
    enabled: !!source,
  });
  const from = text.data?.next;

  // Following: new lines pushed from where the text shown ends, until the process stops writing.
  useEffect(() => {
    setFollowed('');
    setFollowEnded(false);
    if (!follow || !source || from === undefined) return;
    const events = new EventSource(jobsApi.followLogUrl(name, source, from, run));
    events.addEventListener('chunk', (e) => {
      const chunk = JSON.parse((e as MessageEvent<string>).data) as { text: string };
      setFollowed((shown) => appendFollowed(shown, chunk.text));
    });
    events.addEventListener('end', () => {
      events.close();
      setFollowEnded(true);
    });
    return () => events.close();
  }, [follow, name, source, from, run]);

  if (view.isPending) return <Loading />;
  if (view.isError) return <InlineError error={view.error} />;
  const v = view.data;
  // A session's kept runs are apart from its processes now, which the empty value stands for.
  const runOptions = [
    ...(v.scope === 'cluster' && v.runs.length ? [{ value: '', label: t('logs.sessionNow') }] : []),
    ...v.runs.map((r) => ({
      value: r.flinkJobId,
      label: `${formatTime(r.at, i18n.language)} · ${r.flinkJobId.slice(0, 8)}${r.live ? ' ●' : ''}`,
    })),
  ];
  const runPicker = runOptions.length > 1 && (
    <Select
      style={{ minWidth: 280 }}
      aria-label={t('logs.run')}
      data-testid="logs-run"
      value={v.run ?? ''}
      onChange={(r: string) => setRun(r || undefined)}
      options={runOptions}
    />
  );
  if (!sources.length)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        {runPicker}
        <Empty description={t('logs.none')} />
      </Space>
    );
  const shown = (text.data?.text ?? '') + keepMatching(followed, search);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-logs">
      <Alert
        type="info"
        showIcon
        data-testid="logs-scope"
        message={
          v.scope === 'job'
            ? t('logs.scopeJob', { run: v.run ?? '-' })
            : v.run
              ? t('logs.scopeClusterRun', { target: v.target, run: v.run })
              : t('logs.scopeCluster', { target: v.target })
        }
      />
      <Space wrap>
        {runPicker}
        <Select
          style={{ minWidth: 320 }}
          aria-label={t('logs.source')}
          data-testid="logs-source"
          value={source}
          onChange={(s: string) => setPicked(s)}
          options={sources.map((s) => ({
            value: s.id,
            label: (
              <Space size={4}>
                <span>{s.process}</span>
                <Tag>{t(s.stream === 'stdout' ? 'logs.stdout' : 'logs.log')}</Tag>
                <Typography.Text type="secondary">{s.id}</Typography.Text>
                <Typography.Text type="secondary">{sizeText(s.size)}</Typography.Text>
                <Tag color={s.live ? 'green' : 'default'}>{t(s.live ? 'logs.live' : 'logs.ended')}</Tag>
              </Space>
            ),
          }))}
        />
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('logs.search')}
          data-testid="logs-search"
          onSearch={(s) => setSearch(s.trim())}
        />
        <Space>
          <Switch checked={follow} onChange={setFollow} data-testid="logs-follow" />
          {t('logs.follow')}
        </Space>
        {source && (
          <Button href={jobsApi.logDownloadUrl(name, source, run)} data-testid="logs-download">
            {t('logs.download')}
          </Button>
        )}
      </Space>
      {text.isError && <InlineError error={text.error} />}
      {followEnded && <Alert type="warning" showIcon message={t('logs.followEnded')} />}
      {search && text.data && !shown && <Typography.Text>{t('logs.noMatch', { search })}</Typography.Text>}
      <pre
        data-testid="log-text"
        style={{
          maxHeight: 600,
          overflow: 'auto',
          fontSize: 12,
          background: '#fafafa',
          padding: 8,
          margin: 0,
        }}
      >
        {shown || (text.isPending ? '' : t('logs.empty'))}
      </pre>
    </Space>
  );
}
