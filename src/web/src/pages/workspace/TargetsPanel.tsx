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
} from 'antd';
import { useState } from 'react';
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
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { reasonText } from '../../models/message-text.ts';

const STATE_COLOR: Record<string, string> = {
  running: 'success',
  starting: 'processing',
  stopping: 'processing',
  degraded: 'warning',
  stopped: 'default',
  unreachable: 'error',
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
  const [defineOpen, setDefineOpen] = useState(false);
  const [remoteOpen, setRemoteOpen] = useState(false);
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

  const actions = (
    <Space>
      <Button icon={<PlusOutlined />} onClick={() => setDefineOpen(true)} data-testid="cluster-define">
        {t('ws.targets.define')}
      </Button>
      <Button onClick={() => setRemoteOpen(true)} data-testid="cluster-remote">
        {t('ws.targets.registerRemote')}
      </Button>
    </Space>
  );

  let body;
  if (targets.isPending) body = <Loading />;
  else if (targets.isError) body = <ErrorPanel error={targets.error} retry={() => void targets.refetch()} />;
  else if (!targets.data.length)
    body = <Empty description={t('ws.targets.empty')} data-testid="clusters-empty" />;
  else
    body = (
      <Table<TargetView>
        rowKey="name"
        dataSource={targets.data}
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
          {
            title: t('ws.targets.state'),
            dataIndex: 'state',
            render: (s: string) => <ClusterState state={s} />,
          },
          { title: t('ws.engines.flinkVersion'), dataIndex: 'flinkVersion' },
          {
            title: t('ws.targets.endpoints'),
            render: (_, c) => (
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
              c.processes.length ? (
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
            render: (_, c) =>
              c.kind !== 'local' ? null : (
                <Space>
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
                </Space>
              ),
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
    </Space>
  );
}

interface DefineValues {
  name: string;
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
          <Form.Item
            name="name"
            label={t('common.name')}
            rules={[
              { required: true, message: t('ws.nameRequired') },
              { pattern: /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, message: t('ws.targets.nameInvalid') },
            ]}
          >
            <Input placeholder="local-1.20" autoFocus data-testid="cluster-name" />
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

function RemoteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; restUrl: string; gatewayUrl?: string }>();
  const register = useMutation({
    mutationFn: (v: { name: string; restUrl: string; gatewayUrl?: string }) =>
      targetsApi.registerRemote(v.name, v.restUrl.trim(), v.gatewayUrl?.trim() || undefined),
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
      <Form.Item
        name="name"
        label={t('common.name')}
        rules={[{ required: true, message: t('ws.nameRequired') }]}
      >
        <Input autoFocus />
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
