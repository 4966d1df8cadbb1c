import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { Allowed } from '../../components/Spaces.tsx';
import { useTargets } from '../../api/targets.ts';
import { formatTime } from '../../models/dates.ts';
import { ScheduledSwitches } from './ScheduledSwitches.tsx';

type ProfileState = Awaited<ReturnType<typeof api.profiles.active>>;
type Switch = NonNullable<ProfileState['lastSwitch']>;
type Step = Switch['jobs'][number];

const STATUS_COLOR: Record<Step['status'], string> = {
  waiting: 'default',
  upgrading: 'processing',
  succeeded: 'green',
  failed: 'red',
  skipped: 'default',
};

/** A space's or a target's last switch, job by job. */
function SwitchProgress({
  of,
  sw,
  testId,
  noJobs,
}: {
  of: string;
  sw: Switch;
  testId: string;
  noJobs: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Typography.Text data-testid="last-switch">
        {t('pf.lastSwitch', {
          target: of,
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
        locale={{ emptyText: <Empty description={noJobs} /> }}
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
    </Space>
  );
}

/**
 * The job's space's active profile, a switch of it (every running job of the space with a profile
 * of that name moves to it), its last switch job by job (read again while under way), and the
 * space's scheduled switches.
 */
function SpaceProfile({ space, profiles }: { space: string; profiles: string[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const state = useQuery({
    queryKey: ['space-active-profile', space],
    queryFn: () => api.profiles.spaceActive(space),
    refetchInterval: (q) => (q.state.data?.switching ? 2000 : false),
  });
  const switching = useMutation({
    mutationFn: (profile: string) => api.profiles.spaceSwitch(space, profile),
    onSuccess: (v) => {
      qc.setQueryData(['space-active-profile', space], v);
      void qc.invalidateQueries({ queryKey: ['profiles'] });
    },
  });
  const sw = state.data?.lastSwitch;
  const label = t('pf.spaceNamed', { space });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="space-profile">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('pf.spaceTitle', { space })}
      </Typography.Title>
      <Typography.Text type="secondary">{t('pf.spaceIntro')}</Typography.Text>
      {state.isError && <InlineError error={state.error} />}
      <Typography.Text data-testid="space-active-profile">
        {t('pf.activeIn', { space })}: <b>{state.data?.activeProfile ?? t('pf.none')}</b>
        {state.data?.switching && <Tag style={{ marginLeft: 8 }}>{t('pf.switching')}</Tag>}
      </Typography.Text>
      <Space>
        <Select
          style={{ minWidth: 160 }}
          placeholder={t('pf.name')}
          value={choice}
          onChange={setChoice}
          options={profiles.map((p) => ({ value: p, label: p }))}
          data-testid="space-switch-profile"
          aria-label={t('pf.switchTo')}
        />
        {/* A switch of the space is its owners' decision, as its quotas are. */}
        <Allowed space={space} action="manage">
          <Button
            type="primary"
            disabled={!choice || !!state.data?.switching}
            loading={switching.isPending}
            onClick={() => choice && switching.mutate(choice)}
            data-testid="space-switch"
          >
            {t('pf.switchSpace')}
          </Button>
        </Allowed>
      </Space>
      {switching.error && <InlineError error={switching.error} />}
      {sw && (
        <SwitchProgress of={label} sw={sw} testId="space-switch-progress" noJobs={t('pf.noJobsSpace')} />
      )}
      <ScheduledSwitches scope="space" target={space} profiles={profiles} space={space} />
    </Space>
  );
}

/**
 * A job's Profiles tab: its resource profiles (the one it runs marked: its space's active one if it
 * has it, else its target's), its space's active profile with a switch of it and its scheduled
 * switches, and its target's last switch job by job and scheduled switches.
 */
export function JobProfiles({ name }: { name: string }) {
  const { t } = useTranslation();
  const profiles = useQuery({ queryKey: ['profiles', name], queryFn: () => api.profiles.ofJob(name) });
  const target = profiles.data?.target;
  // The target's switches are its space's owners' (an engine's local application target's: admins').
  const targetSpace = useTargets().data?.find((x) => x.name === target)?.space;
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
  const names = p.profiles.map((x) => x.name);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="job-profiles">
      <Typography.Text type="secondary">{t('pf.intro')}</Typography.Text>
      <Typography.Text data-testid="active-profile">
        {t('pf.activeOn', { target: p.target })}: <b>{p.activeProfile ?? t('pf.none')}</b>
      </Typography.Text>
      <Typography.Text data-testid="effective-profile">
        {t('pf.runs')}: <b>{p.effectiveProfile ?? t('pf.versionSettings')}</b>
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
                {n === p.effectiveProfile && <Tag color="blue">{t('pf.active')}</Tag>}
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
      {sw && <SwitchProgress of={p.target} sw={sw} testId="target-switch-progress" noJobs={t('pf.noJobs')} />}
      <ScheduledSwitches target={p.target} profiles={names} space={targetSpace} />
      <SpaceProfile space={p.space} profiles={names} />
    </Space>
  );
}
