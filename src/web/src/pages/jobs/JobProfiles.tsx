import { useQuery } from '@tanstack/react-query';
import { Empty, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { formatTime } from '../../models/dates.ts';
import { ScheduledSwitches } from './ScheduledSwitches.tsx';

type TargetProfile = Awaited<ReturnType<typeof api.profiles.active>>;
type Step = NonNullable<TargetProfile['lastSwitch']>['jobs'][number];

const STATUS_COLOR: Record<Step['status'], string> = {
  waiting: 'default',
  upgrading: 'processing',
  succeeded: 'green',
  failed: 'red',
  skipped: 'default',
};

/**
 * A job's Profiles tab: its resource profiles (the one its target has active marked), and its target's
 * last switch job by job, read again every few seconds while a switch is under way, and its target's
 * scheduled switches.
 */
export function JobProfiles({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const profiles = useQuery({ queryKey: ['profiles', name], queryFn: () => api.profiles.ofJob(name) });
  const target = profiles.data?.target;
  const active = useQuery({
    queryKey: ['active-profile', target],
    queryFn: () => api.profiles.active(target!),
    enabled: !!target,
    refetchInterval: (q) => (q.state.data?.switching ? 2000 : false),
  });
  if (profiles.isPending) return <Loading />;
  if (profiles.isError) return <InlineError error={profiles.error} />;
  const p = profiles.data;
  const sw = active.data?.lastSwitch;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="job-profiles">
      <Typography.Text type="secondary">{t('pf.intro')}</Typography.Text>
      <Typography.Text data-testid="active-profile">
        {t('pf.activeOn', { target: p.target })}: <b>{p.activeProfile ?? t('pf.none')}</b>
      </Typography.Text>
      <Table
        rowKey="name"
        size="small"
        pagination={false}
        data-testid="profiles-table"
        locale={{ emptyText: <Empty description={t('pf.empty')} /> }}
        dataSource={p.profiles}
        columns={[
          {
            title: t('pf.name'),
            dataIndex: 'name',
            render: (n: string) => (
              <Space>
                {n}
                {n === p.activeProfile && <Tag color="blue">{t('pf.active')}</Tag>}
              </Space>
            ),
          },
          { title: t('pf.parallelism'), dataIndex: 'parallelism' },
          {
            title: t('pf.options'),
            dataIndex: 'options',
            render: (o: Record<string, string>) =>
              Object.entries(o)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => `${k}=${v}`)
                .join(', ') || '—',
          },
        ]}
      />
      {sw && (
        <>
          <Typography.Text data-testid="last-switch">
            {t('pf.lastSwitch', {
              target: p.target,
              from: sw.from ?? t('pf.none'),
              to: sw.profile ?? t('pf.none'),
              author: sw.author,
              when: sw.finishedAt ? formatTime(sw.finishedAt, i18n.language) : t('pf.switching'),
            })}
          </Typography.Text>
          <Table<Step>
            rowKey="job"
            size="small"
            pagination={false}
            data-testid="switch-steps"
            locale={{ emptyText: <Empty description={t('pf.noJobs')} /> }}
            dataSource={sw.jobs}
            columns={[
              { title: t('pf.job'), dataIndex: 'job' },
              {
                title: t('pf.status'),
                dataIndex: 'status',
                render: (s: Step['status']) => <Tag color={STATUS_COLOR[s]}>{t(`pf.status.${s}`)}</Tag>,
              },
              { title: t('pf.submission'), dataIndex: 'submission', render: (n: number | null) => n ?? '—' },
              { title: t('pf.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '' },
            ]}
          />
        </>
      )}
      <ScheduledSwitches target={p.target} profiles={p.profiles.map((x) => x.name)} />
    </Space>
  );
}
