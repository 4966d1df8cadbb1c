import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  type FormInstance,
} from 'antd';
import { useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import {
  targetKeys,
  targetsApi,
  useTarget,
  useTargets,
  type ClusterProcess,
  type ClusterSettings,
  type TargetView,
} from '../../api/targets.ts';
import { useEngines } from '../../api/engines.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { KeyValueRows } from '../../components/KeyValueRows.tsx';
import {
  atField,
  hasUpgradeMode,
  kubernetesRegistration,
  refusedSessionField,
  SESSION_SIZE_DEFAULTS,
  SESSION_SIZE_FIELDS,
  sessionSizeProblem,
  sessionSizesText,
  sizesChange,
  sizesFormOf,
  UPGRADE_MODES,
  type KubernetesTargetForm,
  type SessionSizeField,
  type SessionSizesForm,
} from '../../models/kubernetes-target.ts';
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { messageText, reasonText, type Translate } from '../../models/message-text.ts';
import { ApiError } from '../../api/http.ts';
import { ResourcesPanel } from './ResourcesPanel.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { SpaceSelect, spaceColumn } from '../../components/Spaces.tsx';
import { TARGET_NAME } from '../../../../domain/clusters/local-cluster-spec.ts';
import type { Message } from '../../../../domain/messages.ts';

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

interface DefineValues {
  name: string;
  space?: string;
  engineVersion?: string;
  restPort?: number;
  rpcPort?: number;
  gatewayPort?: number;
  taskManagers?: number;
  slotsPerTaskManager?: number;
  jobManagerMemory?: string;
  taskManagerMemory?: string;
}

const MEMORY = /^\d+(m|g|mb|gb|M|G|MB|GB)$/;

function DefineModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const engines = useEngines();
  const [form] = Form.useForm<DefineValues>();
  const define = useMutation({
    mutationFn: ({ name, ...settings }: DefineValues) =>
      targetsApi.define(
        name,
        Object.fromEntries(
          Object.entries(settings).filter(([, v]) => v !== undefined && v !== null && v !== ''),
        ) as ClusterSettings,
      ),
    onSuccess: (spec) => {
      void message.success(t('ws.targets.defined', { name: spec.name }));
      void qc.invalidateQueries({ queryKey: targetKeys.all });
      onClose();
    },
  });
  const port = (name: keyof DefineValues, label: string, placeholder: number) => (
    <Col span={8}>
      <Form.Item name={name} label={label}>
        <InputNumber min={1024} max={65535} placeholder={String(placeholder)} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
  return (
    <FormModal
      name="cluster-define"
      open={open}
      width={640}
      title={t('ws.targets.define')}
      okText={t('common.save')}
      intro={<Typography.Paragraph type="secondary">{t('ws.targets.defineHelp')}</Typography.Paragraph>}
      form={form}
      onFinish={(v) => define.mutate(v)}
      request={define}
      onClose={onClose}
    >
      <Row gutter={12}>
        <Col span={12}>
          <TargetNameItem placeholder="local-1.20" testId="cluster-name" />
        </Col>
        <Col span={12}>
          <Form.Item name="space" label={t('spaces.space')}>
            <SpaceSelect action="manage" testId="cluster-space" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="engineVersion" label={t('ws.targets.engine')}>
            <Select
              allowClear
              placeholder={t('ws.targets.defaultEngine')}
              loading={engines.isPending}
              options={(engines.data ?? []).map((e) => ({
                value: e.version,
                label: `${e.version} (${e.flinkVersion})${e.isDefault ? ` · ${t('ws.engines.default')}` : ''}`,
              }))}
            />
          </Form.Item>
        </Col>
        {port('restPort', t('ws.targets.restPort'), 8081)}
        {port('rpcPort', t('ws.targets.rpcPort'), 6123)}
        {port('gatewayPort', t('ws.targets.gatewayPort'), 8083)}
        <Col span={6}>
          <Form.Item name="taskManagers" label={t('ws.targets.tmCount')}>
            <InputNumber min={1} max={8} placeholder="1" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="slotsPerTaskManager" label={t('ws.targets.slotCount')}>
            <InputNumber min={1} max={64} placeholder="4" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            name="jobManagerMemory"
            label={t('ws.targets.jmMemory')}
            rules={[{ pattern: MEMORY, message: t('ws.targets.memoryInvalid') }]}
          >
            <Input placeholder="1024m" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            name="taskManagerMemory"
            label={t('ws.targets.tmMemory')}
            rules={[{ pattern: MEMORY, message: t('ws.targets.memoryInvalid') }]}
          >
            <Input placeholder="1536m" data-testid="cluster-tm-memory" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

interface RemoteValues {
  name: string;
  space?: string;
  restUrl: string;
  gatewayUrl?: string;
}

function RemoteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RemoteValues>();
  const register = useMutation({
    mutationFn: (v: RemoteValues) =>
      targetsApi.registerRemote(v.name, v.restUrl.trim(), v.gatewayUrl?.trim() || undefined, v.space),
    onSuccess: (c) => {
      void message.success(t('ws.targets.registered', { name: c.name, version: c.engineVersion }));
      void qc.invalidateQueries({ queryKey: targetKeys.all });
      onClose();
    },
  });
  const url = { pattern: /^https?:\/\/[^\s/]+/, message: t('ws.targets.urlInvalid') };
  return (
    <FormModal
      name="cluster-remote"
      open={open}
      title={t('ws.targets.registerRemote')}
      okText={t('ws.targets.registerOk')}
      intro={<Typography.Paragraph type="secondary">{t('ws.targets.remoteHelp')}</Typography.Paragraph>}
      form={form}
      onFinish={(v) => register.mutate(v)}
      request={register}
      onClose={onClose}
    >
      <TargetNameItem placeholder="flink-prod" testId="remote-name" />
      <Form.Item name="space" label={t('spaces.space')}>
        <SpaceSelect action="manage" testId="remote-space" />
      </Form.Item>
      <Form.Item
        name="restUrl"
        label={t('ws.targets.restUrl')}
        rules={[{ required: true, message: t('ws.targets.urlRequired') }, url]}
      >
        <Input placeholder="http://flink-jobmanager:8081" />
      </Form.Item>
      <Form.Item name="gatewayUrl" label={t('ws.targets.gatewayUrl')} rules={[url]}>
        <Input placeholder="http://flink-sql-gateway:8083" />
      </Form.Item>
    </FormModal>
  );
}

type KubernetesTarget = NonNullable<TargetView['kubernetes']>;

/** Where a Kubernetes target is: its namespace on a cluster (by context and address), its mode and image. */
function KubernetesWhere({ k }: { k: KubernetesTarget }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={0} data-testid="kubernetes-where">
      <span>
        {t('ws.targets.namespace')}: <Typography.Text code>{k.spec.namespace}</Typography.Text>
      </span>
      <span>
        {t('ws.targets.cluster')}: {k.context ?? 'in-cluster'}{' '}
        <Typography.Text type="secondary">{k.server ?? '—'}</Typography.Text>
      </span>
      <span>
        {t('ws.targets.mode')}: {k.spec.mode} · {t('ws.targets.image')}:{' '}
        <Typography.Text code>{k.spec.image}</Typography.Text>
      </span>
      {k.spec.session && (
        <span data-testid="kubernetes-session-sizes">
          {t('ws.targets.session')}: {sessionSizesText(t, k.spec.session)}
        </span>
      )}
    </Space>
  );
}

/** Each check of the target's cluster, passed or not. */
function KubernetesChecks({ checks }: { checks: KubernetesTarget['checks'] }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap data-testid="kubernetes-checks">
      {checks.map((c) => (
        <Badge
          key={c.name}
          status={c.ok ? 'success' : 'error'}
          text={t(`ws.targets.check.${c.name}`, { defaultValue: c.name })}
          title={c.detail}
        />
      ))}
    </Space>
  );
}

function KubernetesDetails({ name, k }: { name: string; k: KubernetesTarget }) {
  const { t } = useTranslation();
  const dash = (v: string | null) => v ?? '—';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`cluster-details-${name}`}>
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'server', label: t('ws.targets.cluster'), children: dash(k.server) },
          { key: 'context', label: t('ws.targets.context'), children: k.context ?? 'in-cluster' },
          { key: 'namespace', label: t('ws.targets.namespace'), children: k.spec.namespace },
          { key: 'kubeconfig', label: t('ws.targets.kubeconfig'), children: dash(k.spec.kubeconfig) },
          { key: 'version', label: t('ws.targets.serverVersion'), children: dash(k.serverVersion) },
          { key: 'user', label: t('ws.targets.user'), children: dash(k.user) },
          { key: 'mode', label: t('ws.targets.mode'), children: k.spec.mode },
          ...(k.spec.upgradeMode
            ? [{ key: 'upgradeMode', label: t('ws.targets.upgradeMode'), children: k.spec.upgradeMode }]
            : []),
          ...(k.spec.session
            ? [
                {
                  key: 'session',
                  label: t('ws.targets.session'),
                  children: sessionSizesText(t, k.spec.session),
                },
              ]
            : []),
          { key: 'image', label: t('ws.targets.image'), children: k.spec.image },
          { key: 'pull', label: t('ws.targets.pullPolicy'), children: k.spec.imagePullPolicy },
          { key: 'sa', label: t('ws.targets.serviceAccount'), children: dash(k.spec.serviceAccount) },
          { key: 'shared', label: t('ws.targets.sharedDir'), children: dash(k.spec.sharedDir) },
          ...(k.spec.sharedClaim
            ? [{ key: 'sharedClaim', label: t('ws.targets.sharedClaim'), children: k.spec.sharedClaim }]
            : []),
          {
            key: 'platformUrl',
            label: t('ws.targets.platformUrl'),
            children: dash(k.spec.platformUrl ?? null),
          },
          {
            key: 'flinkConfiguration',
            label: t('ws.targets.flinkOptions'),
            span: 3,
            children: Object.keys(k.spec.flinkConfiguration ?? {}).length ? (
              <Typography.Text code data-testid="kubernetes-flink-options">
                {Object.entries(k.spec.flinkConfiguration ?? {})
                  .map(([o, v]) => `${o}=${v}`)
                  .join('  ')}
              </Typography.Text>
            ) : (
              t('ws.targets.flinkOptionsNone')
            ),
          },
        ]}
      />
      <ResourcesPanel name={name} />
      <Typography.Title level={5}>{t('ws.targets.checks')}</Typography.Title>
      <Table<KubernetesTarget['checks'][number]>
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={k.checks}
        columns={[
          {
            title: t('ws.targets.checks'),
            dataIndex: 'name',
            render: (n: string, c) => (
              <Badge
                status={c.ok ? 'success' : 'error'}
                text={t(`ws.targets.check.${n}`, { defaultValue: n })}
              />
            ),
          },
          {
            title: t('ws.targets.checkDetail'),
            render: (_, c) => (c.problem ? reasonText(t, c.detail, c.problem) : c.detail),
          },
        ]}
      />
    </Space>
  );
}

function KubernetesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const engines = useEngines();
  const [form] = Form.useForm<KubernetesTargetForm>();
  const mode = Form.useWatch('mode', form);
  const session = Form.useWatch('session', form);
  // A refusal about a session's field is shown at that field, not again above the form.
  const [atFieldShown, setAtFieldShown] = useState(false);
  const register = useMutation({
    mutationFn: (v: KubernetesTargetForm) => targetsApi.registerKubernetes(kubernetesRegistration(v)),
    onMutate: () => setAtFieldShown(false),
    onSuccess: (r) => {
      void message.success(t('ws.targets.kubernetesAdded', { name: r.spec.name, version: r.serverVersion }));
      void qc.invalidateQueries({ queryKey: targetKeys.all });
      onClose();
    },
    onError: (e) => showAtField(e, form, true, setAtFieldShown, t),
  });
  return (
    <FormModal
      name="target-kubernetes"
      errorTestId="kubernetes-error"
      open={open}
      width={680}
      title={t('ws.targets.addKubernetes')}
      okText={t('ws.targets.registerOk')}
      intro={<Typography.Paragraph type="secondary">{t('ws.targets.kubernetesHelp')}</Typography.Paragraph>}
      form={form}
      onFinish={(v) => register.mutate(v)}
      request={{ ...register, error: atFieldShown ? null : register.error }}
      // The shared folder has no rule of its own to judge it again: the server's refusal goes once it is edited.
      onValuesChange={(changed) => {
        if ('sharedDir' in changed) form.setFields([{ name: 'sharedDir', errors: [] }]);
      }}
      onClose={onClose}
    >
      <Row gutter={12}>
        <Col span={12}>
          <TargetNameItem placeholder="k8s-prod" testId="kubernetes-name" />
        </Col>
        <Col span={12}>
          <Form.Item name="space" label={t('spaces.space')}>
            <SpaceSelect action="manage" testId="kubernetes-space" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="namespace"
            label={t('ws.targets.namespace')}
            rules={[
              { required: true, message: t('ws.targets.namespaceRequired') },
              { pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, message: t('ws.targets.namespaceInvalid') },
            ]}
          >
            <Input placeholder="flink-jobs" data-testid="kubernetes-namespace" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item
            name="kubeconfig"
            label={t('ws.targets.kubeconfig')}
            extra={t('ws.targets.kubeconfigHelp')}
            rules={[{ pattern: /^\//, message: t('ws.targets.kubeconfigInvalid') }]}
          >
            <Input placeholder="/root/.kube/config" data-testid="kubernetes-kubeconfig" />
          </Form.Item>
        </Col>
        <TextCol
          span={8}
          name="context"
          label={t('ws.targets.context')}
          placeholder={t('ws.targets.currentContext')}
        />
        <Col span={24}>
          <Form.Item
            name="mode"
            label={t('ws.targets.mode')}
            initialValue="standalone"
            rules={[{ required: true }]}
          >
            <Select
              data-testid="kubernetes-mode"
              options={(['standalone', 'native', 'operator'] as const).map((m) => ({
                value: m,
                label: t(`ws.targets.mode.${m}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="engineVersion" label={t('ws.targets.engine')}>
            <Select
              allowClear
              placeholder={t('ws.targets.defaultEngine')}
              loading={engines.isPending}
              options={(engines.data ?? []).map((e) => ({
                value: e.version,
                label: `${e.version} (${e.flinkVersion})${e.isDefault ? ` · ${t('ws.engines.default')}` : ''}`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="imagePullPolicy" label={t('ws.targets.pullPolicy')}>
            <Select
              allowClear
              placeholder="IfNotPresent"
              options={['Always', 'IfNotPresent', 'Never'].map((p) => ({ value: p, label: p }))}
            />
          </Form.Item>
        </Col>
        <TextCol
          span={12}
          name="image"
          label={t('ws.targets.image')}
          placeholder={t('ws.targets.officialImage')}
        />
        <TextCol
          span={12}
          name="serviceAccount"
          label={t('ws.targets.serviceAccount')}
          placeholder="default"
        />
        <TextCol span={24} name="sharedDir" label={t('ws.targets.sharedDir')} placeholder="/srv/flink" />
        <Col span={24}>
          <Form.Item
            name="sharedClaim"
            label={t('ws.targets.sharedClaim')}
            extra={t('ws.targets.sharedClaimHelp')}
          >
            <Input placeholder="sluice-shared" data-testid="kubernetes-shared-claim" />
          </Form.Item>
        </Col>
        {hasUpgradeMode(mode) && (
          <Col span={24}>
            <Form.Item
              name="upgradeMode"
              label={t('ws.targets.upgradeMode')}
              extra={t('ws.targets.upgradeModeHelp')}
            >
              <Select
                allowClear
                placeholder="savepoint"
                data-testid="kubernetes-upgrade-mode"
                options={UPGRADE_MODES.map((m) => ({ value: m, label: t(`ws.targets.upgradeMode.${m}`) }))}
              />
            </Form.Item>
          </Col>
        )}
        <Col span={24}>
          <Form.Item name="session" valuePropName="checked" extra={t('ws.targets.sessionHelp')}>
            <Checkbox data-testid="kubernetes-session">{t('ws.targets.session')}</Checkbox>
          </Form.Item>
        </Col>
        {session && <SessionSizeItems />}
      </Row>
      <Typography.Text strong>{t('ws.targets.flinkOptions')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('ws.targets.flinkOptionsHelp')}
      </Typography.Paragraph>
      <KeyValueRows
        name="flinkConfiguration"
        texts={{
          key: t('ws.targets.optionKey'),
          value: t('ws.targets.optionValue'),
          add: t('ws.targets.addOption'),
          keyRequired: t('ws.targets.optionKeyRequired'),
          keyDuplicate: t('ws.targets.optionKeyDuplicate'),
        }}
        testIds={{
          key: 'kubernetes-option-key',
          value: 'kubernetes-option-value',
          add: 'kubernetes-add-option',
        }}
      />
    </FormModal>
  );
}

const SIZE_LABEL: Record<SessionSizeField, string> = {
  taskManagers: 'ws.targets.tmCount',
  slotsPerTaskManager: 'ws.targets.slotCount',
  jobManagerMemory: 'ws.targets.jmMemory',
  taskManagerMemory: 'ws.targets.tmMemory',
  gatewayMemory: 'ws.targets.gatewayMemory',
};

/**
 * A Kubernetes session's sizes (the SQL Gateway's memory too: every mode's session runs one), each
 * empty one showing the server's default, each typed one checked by the server's own rule as it is typed.
 */
function SessionSizeItems() {
  const { t } = useTranslation();
  return (
    <>
      {SESSION_SIZE_FIELDS.map((f) => (
        <Col span={f.endsWith('Memory') ? 8 : 12} key={f}>
          <Form.Item
            name={['sizes', f]}
            label={t(SIZE_LABEL[f])}
            rules={[
              {
                validator: (_, value: SessionSizesForm[typeof f]) => {
                  const problem = sessionSizeProblem(f, value);
                  return problem ? Promise.reject(new Error(messageText(t, problem))) : Promise.resolve();
                },
              },
            ]}
          >
            {f === 'taskManagers' || f === 'slotsPerTaskManager' ? (
              <InputNumber
                placeholder={String(SESSION_SIZE_DEFAULTS[f])}
                style={{ width: '100%' }}
                data-testid={`session-${f}`}
              />
            ) : (
              <Input placeholder={SESSION_SIZE_DEFAULTS[f]} data-testid={`session-${f}`} />
            )}
          </Form.Item>
        </Col>
      ))}
      <Col span={24}>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('ws.targets.sessionSizesHelp')}
        </Typography.Paragraph>
      </Col>
    </>
  );
}

/**
 * A refusal of a registration about a session's field (a size, the shared folder where the form has
 * it), shown at that field in the console's language; anything else stays above the form.
 */
function showAtField(
  e: unknown,
  // Either form: a size's name path is the same in both.
  form: FormInstance,
  hasSharedDir: boolean,
  shown: Dispatch<SetStateAction<boolean>>,
  t: Translate,
) {
  if (!(e instanceof ApiError)) return;
  const field = refusedSessionField(e.details);
  if (!field || (field === 'sharedDir' && !hasSharedDir)) return;
  const text = e.messageCode
    ? messageText(t, atField({ code: e.messageCode, params: e.messageParams ?? {} } as Message))
    : e.message;
  shown(true);
  form.setFields([{ name: field, errors: [text] }]);
}

/** The sizes of a stopped Kubernetes session target, changed by registering it again with them. */
function SessionSizesModal({
  spec,
  onClose,
}: {
  spec: KubernetesTarget['spec'] | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ sizes: SessionSizesForm }>();
  const [atFieldShown, setAtFieldShown] = useState(false);
  const save = useMutation({
    mutationFn: (v: { sizes: SessionSizesForm }) =>
      targetsApi.registerKubernetes(sizesChange(spec!, v.sizes)),
    onMutate: () => setAtFieldShown(false),
    onSuccess: (r) => {
      if (r.spec.session)
        void message.success(
          t('ws.targets.sizesChanged', {
            name: r.spec.name,
            sizes: sessionSizesText(t, r.spec.session),
          }),
        );
      void qc.invalidateQueries({ queryKey: targetKeys.all });
      onClose();
    },
    onError: (e) => showAtField(e, form, false, setAtFieldShown, t),
  });
  return (
    <FormModal
      name="session-sizes"
      errorTestId="session-sizes-error"
      open={spec !== null}
      width={560}
      title={t('ws.targets.changeSizesTitle', { name: spec?.name ?? '' })}
      okText={t('common.save')}
      intro={<Typography.Paragraph type="secondary">{t('ws.targets.changeSizesHelp')}</Typography.Paragraph>}
      form={form}
      initialValues={spec ? { sizes: sizesFormOf(spec) } : undefined}
      onFinish={(v) => save.mutate(v)}
      request={{ ...save, error: atFieldShown ? null : save.error }}
      onClose={onClose}
    >
      <Row gutter={12}>{spec && <SessionSizeItems />}</Row>
    </FormModal>
  );
}

/** A text field in a column of a form's row: its name, label and placeholder. */
function TextCol({
  span,
  name,
  label,
  placeholder,
}: {
  span: number;
  name: string;
  label: string;
  placeholder: string;
}) {
  return (
    <Col span={span}>
      <Form.Item name={name} label={label}>
        <Input placeholder={placeholder} />
      </Form.Item>
    </Col>
  );
}

/** A new target's name, under the rule the server checks (Kubernetes' object names). */
function TargetNameItem({ placeholder, testId }: { placeholder: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="name"
      label={t('common.name')}
      rules={[
        { required: true, message: t('ws.nameRequired') },
        { pattern: TARGET_NAME, message: t('ws.targets.nameInvalid') },
      ]}
    >
      <Input placeholder={placeholder} autoFocus data-testid={testId} />
    </Form.Item>
  );
}
