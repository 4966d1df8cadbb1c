import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  targetKeys,
  targetsApi,
  useTarget,
  useTargets,
  type ClusterProcess,
  type TargetView,
} from '../../api/targets.ts';
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { reasonText } from '../../models/message-text.ts';
import { ResourcesPanel } from './ResourcesPanel.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { spaceColumn } from '../../components/Spaces.tsx';
import { DefineModal, RemoteModal } from './LocalTargetModals.tsx';
import {
  KubernetesChecks,
  KubernetesDetails,
  KubernetesModal,
  KubernetesWhere,
  SessionSizesModal,
  type KubernetesTarget,
} from './KubernetesTargetParts.tsx';

const STATE_COLOR: Record<string, string> = {
  running: 'success',
  starting: 'processing',
  stopping: 'processing',
  degraded: 'warning',
  stopped: 'default',
  unreachable: 'error',
  ok: 'success',
};

export function ClusterState({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state] ?? 'default'} data-testid="cluster-state">
      {t(`ws.targets.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

/** A process that is down is a problem only when its cluster is meant to run. */
const processStatus = (alive: boolean, state: string) =>
  alive ? 'success' : state === 'stopped' ? 'default' : 'error';

const Url = ({ href }: { href: string }) =>
  href ? (
    <Typography.Link href={href} target="_blank" rel="noreferrer">
      {href}
    </Typography.Link>
  ) : (
    <Typography.Text type="secondary">—</Typography.Text>
  );

/**
 * Deployment targets: local session targets (Sluice runs their session cluster's processes), remote
 * session targets (registered by address) and local application targets (a cluster per job).
 */
export function TargetsPanel({ onOperation }: { onOperation: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const targets = useTargets();
  const shown = useInPicked(targets.data);
  const mayIn = useMayIn();
  // Targets are the owners' of a space: the forms are offered where the user owns one.
  const mayCreate = useMayCreate('manage');
  const [defineOpen, setDefineOpen] = useState(false);
  const [remoteOpen, setRemoteOpen] = useState(false);
  const [kubernetesOpen, setKubernetesOpen] = useState(false);
  // The stopped Kubernetes session target whose sizes are being changed.
  const [resizing, setResizing] = useState<KubernetesTarget['spec'] | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: targetKeys.all });
  const start = useMutation({
    mutationFn: targetsApi.start,
    onSuccess: (op) => onOperation(op.id),
    onError: (e) => void message.error(e.message),
    onSettled: refresh,
  });
  const stop = useMutation({
    mutationFn: targetsApi.stop,
    onSuccess: (c) => void message.success(t('ws.targets.stopped', { name: c.name })),
    onError: (e) => void message.error(e.message),
    onSettled: refresh,
  });

  const remove = useMutation({
    mutationFn: targetsApi.remove,
    onSuccess: (r) => void message.success(t('ws.targets.removed', { name: r.removed })),
    onError: (e) => void message.error(e.message),
    onSettled: refresh,
  });

  const actions = mayCreate && (
    <Space>
      <Button icon={<PlusOutlined />} onClick={() => setDefineOpen(true)} data-testid="cluster-define">
        {t('ws.targets.define')}
      </Button>
      <Button onClick={() => setRemoteOpen(true)} data-testid="cluster-remote">
        {t('ws.targets.registerRemote')}
      </Button>
      <Button onClick={() => setKubernetesOpen(true)} data-testid="target-kubernetes">
        {t('ws.targets.addKubernetes')}
      </Button>
    </Space>
  );

  let body;
  if (targets.isPending) body = <Loading />;
  else if (targets.isError) body = <ErrorPanel error={targets.error} retry={() => void targets.refetch()} />;
  else if (!shown.length) body = <Empty description={t('ws.targets.empty')} data-testid="clusters-empty" />;
  else
    body = (
      <Table<TargetView & { space: string | null }>
        rowKey="name"
        dataSource={shown}
        pagination={false}
        expandable={{ expandedRowRender: (c) => <ClusterDetails name={c.name} /> }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (n: string, c) => (
              <Space>
                <Typography.Text strong>{n}</Typography.Text>
                <Tag>{t(`ws.targets.kind.${c.targetKind ?? c.kind}`, { defaultValue: c.kind })}</Tag>
              </Space>
            ),
          },
          spaceColumn(t),
          {
            title: t('ws.targets.state'),
            dataIndex: 'state',
            render: (s: string) => <ClusterState state={s} />,
          },
          { title: t('ws.engines.flinkVersion'), dataIndex: 'flinkVersion' },
          {
            title: t('ws.targets.endpoints'),
            render: (_, c) =>
              c.kubernetes ? (
                <KubernetesWhere k={c.kubernetes} />
              ) : (
                <Space orientation="vertical" size={0}>
                  <span>
                    {t('ws.targets.rest')}: <Url href={c.restUrl} />
                  </span>
                  <span>
                    {t('ws.targets.gateway')}: <Url href={c.gatewayUrl} />{' '}
                    {c.gatewayUrl && (
                      <Badge
                        status={processStatus(c.gatewayHealthy, c.state)}
                        text={t(c.gatewayHealthy ? 'ws.targets.up' : 'ws.targets.down')}
                      />
                    )}
                  </span>
                </Space>
              ),
          },
          {
            title: t('ws.targets.capacity'),
            render: (_, c) =>
              c.overview ? (
                <Space orientation="vertical" size={0}>
                  <span>{t('ws.targets.taskManagers', { n: c.overview.taskmanagers })}</span>
                  <span>
                    {t('ws.targets.slots', {
                      free: c.overview['slots-available'],
                      total: c.overview['slots-total'],
                    })}
                  </span>
                  <span>{t('ws.targets.jobsRunning', { n: c.overview['jobs-running'] })}</span>
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('ws.targets.processes'),
            render: (_, c) =>
              c.kubernetes ? (
                <KubernetesChecks checks={c.kubernetes.checks} />
              ) : c.processes.length ? (
                <Space size={4} wrap>
                  {c.processes.map((p) => (
                    <Badge key={p.id} status={processStatus(p.alive, c.state)} text={p.id} />
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('ws.actions'),
            render: (_, c) => {
              // A session Sluice runs (local, or a Kubernetes session target) is started and stopped
              // here; a target that is only registered (remote, Kubernetes) is removed here.
              const session =
                c.kind === 'local' ||
                c.targetKind === 'kubernetes-standalone-session' ||
                c.targetKind === 'kubernetes-native-session' ||
                c.targetKind === 'kubernetes-operator-session';
              const removable = c.kind === 'kubernetes' || c.kind === 'remote';
              if ((!session && !removable) || !mayIn(c.space, 'manage')) return null;
              return (
                <Space>
                  {session && (
                    <Button
                      size="small"
                      type="primary"
                      disabled={c.state === 'running' || c.state === 'starting'}
                      loading={start.isPending && start.variables === c.name}
                      onClick={() => start.mutate(c.name)}
                      data-testid="cluster-start"
                    >
                      {t('ws.targets.start')}
                    </Button>
                  )}
                  {session && (
                    <Popconfirm
                      title={t('ws.targets.confirmStop', { name: c.name })}
                      onConfirm={() => stop.mutate(c.name)}
                      disabled={c.state === 'stopped'}
                    >
                      <Button
                        size="small"
                        danger
                        disabled={c.state === 'stopped'}
                        loading={stop.isPending && stop.variables === c.name}
                        data-testid="cluster-stop"
                      >
                        {t('ws.targets.stop')}
                      </Button>
                    </Popconfirm>
                  )}
                  {/* The server changes a session target by its registration again: only while stopped, so that
                      no running cluster differs from what its target says. */}
                  {session && c.kubernetes?.spec.session && c.state === 'stopped' && (
                    <Button
                      size="small"
                      onClick={() => setResizing(c.kubernetes?.spec ?? null)}
                      data-testid="session-sizes"
                    >
                      {t('ws.targets.changeSizes')}
                    </Button>
                  )}
                  {removable && (
                    <Popconfirm
                      title={t('ws.targets.confirmRemove', { name: c.name })}
                      onConfirm={() => remove.mutate(c.name)}
                    >
                      <Button
                        size="small"
                        danger
                        loading={remove.isPending && remove.variables === c.name}
                        data-testid="target-remove"
                      >
                        {t('ws.targets.remove')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
    );

  return (
    <Card title={t('ws.targets.card')} extra={actions}>
      {targets.data?.some((c) => c.problem) &&
        targets.data
          .filter((c) => c.problem)
          .map((c) => (
            <div key={c.name} style={{ marginBottom: 8 }}>
              <InlineError
                error={new Error(`${c.name}: ${reasonText(t, c.problem ?? null, c.problemMessage ?? null)}`)}
              />
            </div>
          ))}
      {body}
      <DefineModal open={defineOpen} onClose={() => setDefineOpen(false)} />
      <RemoteModal open={remoteOpen} onClose={() => setRemoteOpen(false)} />
      <KubernetesModal open={kubernetesOpen} onClose={() => setKubernetesOpen(false)} />
      <SessionSizesModal spec={resizing} onClose={() => setResizing(null)} />
    </Card>
  );
}

/** A target's cluster processes with their pids and health, and what happened to them lately. */
function ClusterDetails({ name }: { name: string }) {
  const { t } = useTranslation();
  const c = useTarget(name);
  if (c.isPending) return <Loading />;
  if (c.isError) return <InlineError error={c.error} />;
  const d = c.data;
  if (d.kubernetes) return <KubernetesDetails name={name} k={d.kubernetes} />;
  const events = [...d.events].sort((a, b) => b.id - a.id).slice(0, 20);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`cluster-details-${name}`}>
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'state', label: t('ws.targets.state'), children: <ClusterState state={d.state} /> },
          { key: 'rest', label: t('ws.targets.rest'), children: <Url href={d.restUrl} /> },
          { key: 'gateway', label: t('ws.targets.gateway'), children: <Url href={d.gatewayUrl} /> },
          ...(d.problem
            ? [
                {
                  key: 'problem',
                  label: t('ws.targets.problem'),
                  children: reasonText(t, d.problem, d.problemMessage ?? null),
                  span: 3,
                },
              ]
            : []),
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Typography.Title level={5}>{t('ws.targets.processes')}</Typography.Title>
          {d.processes.length ? (
            <Table<ClusterProcess>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={d.processes}
              columns={[
                { title: t('ws.targets.process'), dataIndex: 'id' },
                { title: t('ws.targets.role'), dataIndex: 'role' },
                { title: 'PID', dataIndex: 'pid', render: (p: number | null) => p ?? '—' },
                {
                  title: t('ws.targets.health'),
                  render: (_, p) => (
                    <Space size={4}>
                      <Badge
                        status={processStatus(p.alive, d.state)}
                        text={t(p.alive ? 'ws.targets.alive' : 'ws.targets.dead')}
                      />
                      {p.adopted && <Tag>{t('ws.targets.adopted')}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t('ws.targets.restarts'),
                  dataIndex: 'restarts',
                  render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
                },
                {
                  title: t('ws.targets.startedAt'),
                  dataIndex: 'startedAt',
                  render: (v: string | null) => (v ? localTime(v) : '—'),
                },
                {
                  title: t('ws.targets.log'),
                  dataIndex: 'logFile',
                  render: (f: string) => (
                    <Typography.Text code copyable style={{ fontSize: 12 }}>
                      {f}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          ) : (
            <Typography.Text type="secondary">{t('ws.targets.noProcesses')}</Typography.Text>
          )}
        </Col>
        <Col xs={24} xl={9}>
          <Typography.Title level={5}>{t('ws.targets.events')}</Typography.Title>
          {events.length ? (
            <div style={{ maxHeight: 280, overflow: 'auto', paddingTop: 8 }}>
              <Timeline
                items={events.map((e) => ({
                  key: e.id,
                  color:
                    e.kind === 'exited' || e.kind === 'orphan-killed'
                      ? 'red'
                      : e.kind === 'restarted'
                        ? 'orange'
                        : 'blue',
                  title: localTime(e.at),
                  content: (
                    <span>
                      <Typography.Text strong>{e.processId}</Typography.Text>{' '}
                      {t(`ws.targets.event.${e.kind}`, { defaultValue: e.kind })}
                      {e.detail ? `: ${e.detail}` : ''}
                    </span>
                  ),
                }))}
              />
            </div>
          ) : (
            <Typography.Text type="secondary">{t('ws.targets.noEvents')}</Typography.Text>
          )}
        </Col>
      </Row>
      <ResourcesPanel name={name} />
    </Space>
  );
}
