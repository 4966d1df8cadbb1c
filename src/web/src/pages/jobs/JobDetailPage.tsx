import { lazy, Suspense, useState } from 'react';
import {
  App,
  Alert,
  Button,
  Collapse,
  Descriptions,
  Empty,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Popconfirm,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  jobsApi,
  useJob,
  useJobEvents,
  useJobMutation,
  useJobSavepoints,
  useJobSubmissions,
  type SavepointRecord,
  type Submission,
} from '../../api/jobs.ts';
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatTime } from '../../models/dates.ts';
import { availableActions } from '../../models/job-state.ts';
import { messageText, reasonText } from '../../models/message-text.ts';
import { restartPolicyText, resubmitPolicyText } from '../../models/restart-policy-text.ts';
import { submissionView } from '../../models/submission-view.ts';
import { engineOfLocalApplicationTarget, TARGET_KINDS } from '../../../../domain/targets/target-kinds.ts';
import { useTargetResources, useTargets } from '../../api/targets.ts';
import { JobActions } from './JobActions.tsx';
import { useWho } from '../../api/spaces.ts';
import { SpaceTag } from '../../components/Spaces.tsx';
import { mayIn } from '../../models/spaces.ts';
import { VersionsPanel } from './VersionsPanel.tsx';
import { JobLogs } from './JobLogs.tsx';
import { JobExceptions } from './JobExceptions.tsx';
import { JobAlerts } from './JobAlerts.tsx';
import { JobProfiles } from './JobProfiles.tsx';

// The charts carry ECharts: loaded when the Metrics tab is first opened.
// The graph carries React Flow: loaded when the Graph tab is first opened.
const JobGraph = lazy(() => import('./JobGraph.tsx'));
const JobMetrics = lazy(() => import('./JobMetrics.tsx').then((m) => ({ default: m.JobMetrics })));

/** One job: its state and reason, the timeline of transitions, submissions, savepoints, versions. */
export function JobDetailPage() {
  const { t, i18n } = useTranslation();
  const name = useParams().name!;
  const job = useJob(name);
  const targets = useTargets();
  const who = useWho();
  const mayWait = !!job.data && WAITING_STATES.has(job.data.state);
  const resources = useTargetResources(job.data?.target ?? '', mayWait);
  const waiting = mayWait ? resources.data?.waiting.find((w) => w.job === name) : undefined;
  const [tab, setTab] = useState('events');
  // The moment the Graph tab draws (null: live); a click on a Metrics chart picks one.
  const [graphAt, setGraphAt] = useState<string | null>(null);
  /** The job runs in a cluster of its own (local application or Kubernetes): its UI exists while it runs. */
  const ownCluster = (target: string): boolean => {
    if (engineOfLocalApplicationTarget(target)) return true;
    const kind = targets.data?.find((t) => t.name === target)?.targetKind;
    return !!kind && TARGET_KINDS[kind].deployment === 'application-cluster';
  };
  if (job.isPending) return <Loading />;
  if (job.isError) return <ErrorPanel error={job.error} retry={() => void job.refetch()} />;
  const j = job.data;
  const mayChange = !!who && mayIn(who, j.space, 'change');
  const interval = j.options['execution.checkpointing.interval'];
  // How the job keeps its state: checkpoint interval and mode, and the state backend when one is chosen.
  const checkpointing = [
    interval ? t('detail.checkpointEvery', { interval }) : t('detail.checkpointingOff'),
    interval && j.options['execution.checkpointing.mode'],
    j.options['state.backend.type'],
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {j.name}
          </Typography.Title>
          <StateBadge state={j.state} />
          <SpaceTag space={j.space} />
        </Space>
        <Space wrap>
          {/* The SQL editor edits SQL jobs; a JAR job has its own form. Only for who may change it. */}
          {mayChange &&
            (j.kind === 'sql' ? (
              <Link to={`/jobs/${j.name}/edit`}>
                <Button data-testid="edit-job">{t('action.edit')}</Button>
              </Link>
            ) : (
              <Link to={`/jobs/${j.name}/edit-jar`}>
                <Button data-testid="edit-jar-job">{t('jar.edit')}</Button>
              </Link>
            ))}
          {/* Flink's own UI, through the platform (read-only, masked): no JobManager port needed in the
              browser. A job in a cluster of its own reaches that cluster's UI while it runs; after, the
              button says the cluster is not running. */}
          {ownCluster(j.target) && !j.restUrl ? (
            <Tooltip title={t('detail.flinkUiNoCluster')}>
              <Button disabled data-testid="flink-ui">
                {t('detail.flinkUi')}
              </Button>
            </Tooltip>
          ) : (
            <Button
              href={`/flink/${encodeURIComponent(j.target)}/${j.restUrl ? `${encodeURIComponent(j.name)}/` : ''}${j.flinkJobId ? `#/job/running/${j.flinkJobId}/overview` : ''}`}
              target="_blank"
              data-testid="flink-ui"
            >
              {t('detail.flinkUi')}
            </Button>
          )}
          <JobActions job={j} />
        </Space>
      </Space>
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('detail.state')}>
          {t(`state.${j.state}`)}{' '}
          {j.stateSince && `(${t('detail.since')} ${formatTime(j.stateSince, i18n.language)})`}
        </Descriptions.Item>
        <Descriptions.Item label={t('jobs.column.version')}>
          v{j.currentVersion} {j.needsDeploy && <Tag color="orange">{t('jobs.needsDeploy')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('jobs.column.target')}>
          {j.target} · Flink {j.engineVersion}
        </Descriptions.Item>
        <Descriptions.Item label={t('editor.parallelism')}>{j.parallelism}</Descriptions.Item>
        <Descriptions.Item label={t('settings.checkpointing')}>{checkpointing}</Descriptions.Item>
        <Descriptions.Item label={t('settings.restart')} span={2}>
          <span data-testid="restart-policy">{restartPolicyText(t, j.restartPolicy)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.resubmitPolicy')} span={2}>
          {resubmitPolicyText(t, j.resubmitPolicy)}
        </Descriptions.Item>
        {/* Flink's restarts inside one Flink job, and the platform's resubmissions, are two counts. */}
        {j.resubmitPolicy.kind !== 'none' && (
          <Descriptions.Item label={t('detail.resubmissions')}>
            <span data-testid="resubmissions">
              {t('detail.resubmissionsOf', { count: j.resubmissions, attempts: j.resubmitPolicy.attempts })}
            </span>
          </Descriptions.Item>
        )}
        {j.runtime && (
          <>
            <Descriptions.Item label={t('detail.flinkRestarts')}>
              <span data-testid="flink-restarts">{j.runtime.restarts ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.lastCheckpoint')} span={2}>
              <span data-testid="last-checkpoint">
                {j.runtime.lastCheckpoint
                  ? `#${j.runtime.lastCheckpoint.id} · ${formatTime(j.runtime.lastCheckpoint.completedAt, i18n.language)}`
                  : t('detail.noCheckpoint')}
              </span>
            </Descriptions.Item>
          </>
        )}
        {j.kind === 'jar' && j.jar && (
          <>
            <Descriptions.Item label={t('detail.jar')}>
              <span data-testid="jar">{`${j.jar.name}@${j.jar.version}`}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.entryClass')} span={2}>
              <span data-testid="entry-class">{j.entryClass ?? '-'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.args')} span={2}>
              <span data-testid="args">{j.args?.length ? JSON.stringify(j.args) : '-'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.classpath')}>
              {j.classpath?.length ? j.classpath.map((r) => `${r.name}@${r.version}`).join(', ') : '-'}
            </Descriptions.Item>
          </>
        )}
        {j.stateReason && (
          <Descriptions.Item label={t('detail.reason')} span={3}>
            <span data-testid="state-reason">{reasonText(t, j.stateReason, j.stateReasonMessage)}</span>
          </Descriptions.Item>
        )}
        {/* Why it waits for resources, as its target's resources view names it (tasks without a slot,
            a Pending pod); left out when its reason says it already (the tracker takes a Pending pod's
            message as the reason of a job that stays NOT_RUNNING). */}
        {waiting && !j.stateReason?.includes(waiting.message.replace(/^pod [^:]+: /, '')) && (
          <Descriptions.Item label={t('detail.waiting')} span={3}>
            <span data-testid="waiting-reason">
              <Tag color="orange">{waiting.reason}</Tag>
              {waiting.message}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'events', label: t('detail.events'), children: <EventsTimeline name={name} /> },
          { key: 'submissions', label: t('detail.submissions'), children: <Submissions name={name} /> },
          { key: 'savepoints', label: t('detail.savepoints'), children: <Savepoints name={name} /> },
          {
            key: 'versions',
            label: t('detail.versions'),
            children: <VersionsPanel name={name} space={j.space} />,
          },
          { key: 'logs', label: t('detail.logs'), children: <JobLogs name={name} /> },
          { key: 'exceptions', label: t('detail.exceptions'), children: <JobExceptions name={name} /> },
          {
            key: 'metrics',
            label: t('detail.metrics'),
            children: (
              <Suspense fallback={<Loading />}>
                <JobMetrics
                  name={name}
                  onPick={(at) => {
                    setGraphAt(at);
                    setTab('graph');
                  }}
                />
              </Suspense>
            ),
          },
          {
            key: 'graph',
            label: t('detail.graph'),
            children: (
              <Suspense fallback={<Loading />}>
                <JobGraph name={name} at={graphAt} onAt={setGraphAt} />
              </Suspense>
            ),
          },
          { key: 'alerts', label: t('detail.alerts'), children: <JobAlerts name={name} /> },
          { key: 'profiles', label: t('detail.profiles'), children: <JobProfiles name={name} /> },
        ]}
      />
    </Space>
  );
}

function EventsTimeline({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const events = useJobEvents(name);
  useJob(name); // a pushed state change refetches the job, and with it this list
  if (events.isPending) return <Loading />;
  if (events.isError) return <InlineError error={events.error} />;
  return (
    <Timeline
      items={[...events.data].reverse().map((e) => ({
        color: e.to === 'FAILED' ? 'red' : e.to === 'RUNNING' ? 'green' : 'blue',
        children: (
          <div data-testid="event">
            {/* The same words as the state badge. */}
            <Typography.Text strong>
              {t(`state.${e.from}`)} → {t(`state.${e.to}`)}
            </Typography.Text>{' '}
            <Tag>{t(`source.${e.source}`)}</Tag>
            <Typography.Text type="secondary">{formatTime(e.at, i18n.language)}</Typography.Text>
            <div data-testid="event-reason">{reasonText(t, e.reason, e.reasonMessage)}</div>
          </div>
        ),
      }))}
    />
  );
}

function Submissions({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const subs = useJobSubmissions(name);
  if (subs.isPending) return <Loading />;
  if (subs.isError) return <InlineError error={subs.error} />;
  if (!subs.data.length) return <Empty />;
  return (
    <Collapse
      items={[...subs.data].reverse().map((s: Submission) => {
        const v = submissionView(s, t);
        return {
          key: s.id,
          label: (
            <Space>
              <span data-testid="submission-kind">
                #{s.number} {t(`submission.kind.${s.kind}`)} v{s.versionNumber}
              </span>
              <Tag color={s.status === 'succeeded' ? 'green' : s.status === 'failed' ? 'red' : 'blue'}>
                {t(`submission.status.${s.status}`)}
              </Tag>
              {formatTime(s.createdAt, i18n.language)}
            </Space>
          ),
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              {v.failure && (
                <Alert
                  type="error"
                  showIcon
                  message={t('detail.failedStep', { step: t(`step.${v.failure.step}`) })}
                  description={
                    <>
                      <div data-testid="submission-failure">{v.failure.said}</div>
                      {v.failure.rootCause && (
                        <div>
                          <b>{t('detail.rootCause')}:</b> {v.failure.rootCause}
                        </div>
                      )}
                    </>
                  }
                />
              )}
              {v.steps.map((st) => (
                <div key={st.name}>
                  <Typography.Text strong>
                    <span data-testid="step-name">{t(`step.${st.name}`, { defaultValue: st.name })}</span>{' '}
                    <Tag>{t(`step.status.${st.status}`)}</Tag>
                  </Typography.Text>
                  <pre style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }}>{st.log.join('\n')}</pre>
                </div>
              ))}
            </Space>
          ),
        };
      })}
    />
  );
}

function Savepoints({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const sps = useJobSavepoints(name);
  const job = useJob(name);
  // Restoring is a start: allowed exactly when a start is.
  const startable = job.data ? availableActions(job.data).start : { allowed: false, why: null };
  const restore = useJobMutation((path: string) => jobsApi.start(name, { fromSavepoint: path }));
  // Only who may run the job restores it (a viewer sees the savepoints, not the button).
  const who = useWho();
  const mayRun = !!who && !!job.data && mayIn(who, job.data.space, 'run');
  if (sps.isPending) return <Loading />;
  if (sps.isError) return <InlineError error={sps.error} />;
  if (!sps.data.length) return <Empty description={t('detail.noSavepoints')} />;
  return (
    <Table<SavepointRecord>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={sps.data}
      columns={[
        { title: t('detail.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`kind.${k}`)}</Tag> },
        { title: t('detail.origin'), dataIndex: 'origin', render: (o: string) => t(`origin.${o}`) },
        {
          title: t('detail.path'),
          dataIndex: 'path',
          render: (p: string) => <code data-testid="savepoint-path">{p}</code>,
        },
        {
          title: t('jobs.column.updated'),
          dataIndex: 'createdAt',
          render: (v: string) => formatTime(v, i18n.language),
        },
        {
          render: (_, sp) =>
            mayRun && (
              <Tooltip title={startable.why ? messageText(t, startable.why) : null}>
                <Popconfirm
                  title={t('detail.restoreConfirm', { name, kind: t(`kind.${sp.kind}`), path: sp.path })}
                  disabled={!startable.allowed}
                  okButtonProps={{ id: 'confirm-restore' }}
                  onConfirm={() =>
                    restore.mutate(sp.path, {
                      onSuccess: () => void message.info(t('submission.sent', { kind: 'start', name })),
                      onError: (e) => void message.error(e.message),
                    })
                  }
                >
                  <Button size="small" disabled={!startable.allowed} data-testid="restore-savepoint">
                    {t('detail.restore')}
                  </Button>
                </Popconfirm>
              </Tooltip>
            ),
        },
      ]}
    />
  );
}

/** States in which a job can be waiting for slots or for its pods to be scheduled. */
const WAITING_STATES = new Set(['STARTING', 'JM_RUNNING', 'PODS_RUNNING', 'NOT_RUNNING']);
