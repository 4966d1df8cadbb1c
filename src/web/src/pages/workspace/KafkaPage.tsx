import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Spin,
  Table,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SASL_MECHANISMS, SECURITY_PROTOCOLS } from '../../../../domain/kafka/kafka-connection.ts';
import {
  kafkaApi,
  kafkaKeys,
  useKafkaConnections,
  useLocalBroker,
  type KafkaConnectionView,
  type LocalBrokerView,
} from '../../api/kafka.ts';
import { ApiError } from '../../api/http.ts';
import { EditDeleteButtons } from '../../components/DeleteButton.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { ListPage, updatedAtColumn } from '../../components/PageHeader.tsx';
import { Queried } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import {
  connectionSecurity,
  kafkaConnectionInput,
  kafkaConnectionValues,
  problemsByField,
  type KafkaConnectionValues,
} from '../../models/kafka.ts';
import { TopicBrowser } from './TopicBrowser.tsx';
import { useIsAdmin } from '../../api/spaces.ts';

const LOCAL = 'local';
const STATE_COLOR: Record<LocalBrokerView['state'], string> = {
  stopped: 'default',
  starting: 'processing',
  running: 'success',
  degraded: 'warning',
  stopping: 'processing',
};

/** Kafka: the local broker with start and stop, the registered connections, and a topic browser per connection. */
export function KafkaPage() {
  const { t } = useTranslation();
  // Connections are every space's: platform admins add, change and remove them.
  const admin = useIsAdmin();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const connections = useKafkaConnections();
  const [editing, setEditing] = useState<KafkaConnectionView | 'new' | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: kafkaApi.deleteConnection,
    onSuccess: (_, name) => {
      void message.success(t('kafka.deleted', { name }));
      setBrowsing((b) => (b === name ? null : b));
    },
    onError: (e, name) => void modal.error({ title: t('kafka.deleteFailed', { name }), content: e.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: kafkaKeys.connections }),
  });

  const table = (data: KafkaConnectionView[]) => (
    <Table<KafkaConnectionView>
      rowKey="name"
      dataSource={data}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      rowClassName={(c) => (c.name === browsing ? 'ant-table-row-selected' : '')}
      columns={[
        { title: t('common.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name) },
        {
          title: t('kafka.bootstrapServers'),
          dataIndex: 'bootstrapServers',
          render: (v: string[]) => v.join(', '),
        },
        {
          title: t('kafka.security'),
          render: (_, c) => <span data-testid="kafka-security">{connectionSecurity(c, t)}</span>,
        },
        { title: t('ws.description'), dataIndex: 'description' },
        updatedAtColumn(t),
        {
          title: t('ws.actions'),
          render: (_, c) => (
            <Space>
              <Button
                size="small"
                type={browsing === c.name ? 'primary' : 'default'}
                onClick={() => setBrowsing(c.name)}
                data-testid="kafka-browse"
              >
                {t('kafka.browse')}
              </Button>
              {admin && (
                <EditDeleteButtons
                  name={c.name}
                  // The local broker owns its connection: not edited, only removed once it is stopped.
                  onEdit={c.name === LOCAL ? undefined : () => setEditing(c)}
                  confirm={t('kafka.confirmDelete', { name: c.name })}
                  remove={remove}
                  testIdPrefix="kafka-connection"
                />
              )}
            </Space>
          ),
        },
      ]}
    />
  );

  return (
    <ListPage
      title={t('kafka.title')}
      intro={t('kafka.intro')}
      newLabel={t('kafka.new')}
      newTestId="kafka-connection-new"
      onNew={admin ? () => setEditing('new') : undefined}
    >
      <LocalBroker />
      <Card size="small" title={t('kafka.connections')} data-testid="kafka-connections">
        <Queried
          query={connections}
          empty={<Empty description={t('kafka.empty')} data-testid="kafka-connections-empty" />}
        >
          {table}
        </Queried>
      </Card>
      {browsing && <TopicBrowser key={browsing} connection={browsing} onClose={() => setBrowsing(null)} />}
      <ConnectionForm
        open={editing !== null}
        connection={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </ListPage>
  );
}

/** Seconds since `from`, ticking every second while `running`. */
function useElapsed(running: boolean): number {
  const [started, setStarted] = useState(0);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!running) return;
    const at = Date.now();
    setStarted(at);
    setNow(at);
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return running ? Math.round((now - started) / 1000) : 0;
}

/** The local broker: its state, address and process, start and stop, and why a start failed. */
function LocalBroker() {
  const broker = useLocalBroker();
  return <Queried query={broker}>{(b) => <BrokerStatus b={b} />}</Queried>;
}

/** The broker's state and process, start and stop, the start's progress and why it failed. */
function BrokerStatus({ b }: { b: LocalBrokerView }) {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const qc = useQueryClient();
  const settled = () => {
    void qc.invalidateQueries({ queryKey: kafkaKeys.local });
    void qc.invalidateQueries({ queryKey: kafkaKeys.connections });
  };
  // The start answers once the broker serves clients: the first one fetches Kafka with Maven first.
  const start = useMutation({ mutationFn: kafkaApi.startLocal, onSettled: settled });
  const stop = useMutation({ mutationFn: kafkaApi.stopLocal, onSettled: settled });
  const elapsed = useElapsed(start.isPending);
  const busy = start.isPending || stop.isPending || b.state === 'starting' || b.state === 'stopping';
  const failed = start.error ?? stop.error;
  return (
    <Card
      size="small"
      title={t('kafka.local')}
      data-testid="kafka-broker"
      extra={
        // The local broker is every space's: platform admins start and stop it.
        admin && (
          <Space>
            <Button
              type="primary"
              disabled={busy || b.state === 'running' || b.state === 'degraded'}
              loading={start.isPending}
              onClick={() => {
                stop.reset();
                start.mutate();
              }}
              data-testid="kafka-broker-start"
            >
              {t('kafka.start')}
            </Button>
            <Button
              disabled={busy || b.state === 'stopped'}
              loading={stop.isPending}
              onClick={() => {
                start.reset();
                stop.mutate();
              }}
              data-testid="kafka-broker-stop"
            >
              {t('kafka.stop')}
            </Button>
          </Space>
        )
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('kafka.state')}>
          <Tag color={STATE_COLOR[b.state]} data-testid="kafka-broker-state" data-state={b.state}>
            {t(`kafka.state.${b.state}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('kafka.bootstrapServers')}>{b.bootstrapServers}</Descriptions.Item>
        <Descriptions.Item label={t('kafka.version')}>{b.kafkaVersion ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('kafka.pid')}>{b.pid ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('kafka.restarts')}>{b.restarts}</Descriptions.Item>
        <Descriptions.Item label={t('kafka.startedAt')}>
          {b.startedAt ? localTime(b.startedAt) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('kafka.logFile')} span={3}>
          {b.logFile}
        </Descriptions.Item>
      </Descriptions>
      {start.isPending && (
        <Alert
          type="info"
          showIcon
          icon={<Spin size="small" />}
          data-testid="kafka-broker-progress"
          title={t('kafka.starting', { seconds: elapsed })}
          description={t('kafka.startingHelp')}
        />
      )}
      {failed && (
        <Alert
          type="error"
          showIcon
          data-testid="kafka-broker-error"
          title={t(start.error ? 'kafka.startFailed' : 'kafka.stopFailed')}
          description={
            <div
              style={{ whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto', fontFamily: 'monospace' }}
            >
              {failed.message}
            </div>
          }
        />
      )}
    </Card>
  );
}

const FIELDS = [
  'name',
  'bootstrapServers',
  'securityProtocol',
  'saslMechanism',
  'saslUsername',
  'saslPassword',
  'sslCaCertificate',
] as const;

/** Add or edit a connection; each refused setting is shown at its field, in the console's language. */
function ConnectionForm({
  open,
  connection,
  onClose,
}: {
  open: boolean;
  connection: KafkaConnectionView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<KafkaConnectionValues>();
  const protocol = Form.useWatch('securityProtocol', form) ?? connection?.securityProtocol ?? 'PLAINTEXT';
  const save = useMutation({
    mutationFn: (v: KafkaConnectionValues) => kafkaApi.setConnection(v.name.trim(), kafkaConnectionInput(v)),
    onSuccess: (c) => {
      void message.success(t('kafka.saved', { name: c.name }));
      void qc.invalidateQueries({ queryKey: kafkaKeys.connections });
      onClose();
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      const byField = problemsByField(t, e.details, FIELDS);
      // A refusal of one field without a list (the name 'local', say): its message at that field.
      const field = typeof e.details.field === 'string' ? e.details.field : null;
      if (!Object.keys(byField).length && field && (FIELDS as readonly string[]).includes(field))
        byField[field] = [e.message];
      form.setFields(
        Object.entries(byField).map(([name, errors]) => ({
          name: name as keyof KafkaConnectionValues,
          errors,
        })),
      );
    },
  });
  const sasl = protocol.startsWith('SASL_');
  const required = [{ required: true, message: t('kafka.required') }];
  return (
    <FormModal
      name="kafka-connection"
      open={open}
      width={640}
      title={connection ? t('kafka.editTitle', { name: connection.name }) : t('kafka.new')}
      okText={t('common.save')}
      form={form}
      initialValues={kafkaConnectionValues(connection)}
      onFinish={(v) => save.mutate(v)}
      request={save}
      onClose={onClose}
      errorTestId="kafka-connection-error"
    >
      <Form.Item
        name="name"
        label={t('common.name')}
        extra={t('kafka.nameHelp')}
        rules={[
          ...required,
          { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, message: t('kafka.nameInvalid') },
        ]}
      >
        <Input disabled={!!connection} placeholder="prod-eu" data-testid="kafka-connection-name" />
      </Form.Item>
      <Form.Item
        name="bootstrapServers"
        label={t('kafka.bootstrapServers')}
        extra={t('kafka.bootstrapHelp')}
        rules={required}
      >
        <Input placeholder="broker-1:9092, broker-2:9092" data-testid="kafka-connection-brokers" />
      </Form.Item>
      <Form.Item name="securityProtocol" label={t('kafka.securityProtocol')}>
        <Select
          data-testid="kafka-connection-protocol"
          options={SECURITY_PROTOCOLS.map((v) => ({ value: v, label: v }))}
        />
      </Form.Item>
      {sasl && (
        <>
          <Form.Item name="saslMechanism" label={t('kafka.saslMechanism')}>
            <Select
              allowClear
              data-testid="kafka-connection-mechanism"
              options={SASL_MECHANISMS.map((v) => ({ value: v, label: v }))}
            />
          </Form.Item>
          <Form.Item name="saslUsername" label={t('kafka.saslUsername')}>
            <Input autoComplete="off" data-testid="kafka-connection-user" />
          </Form.Item>
          <Form.Item
            name="saslPassword"
            label={t('kafka.saslPassword')}
            extra={connection?.hasSaslPassword ? t('kafka.passwordKeep') : t('kafka.passwordHelp')}
          >
            <Input.Password autoComplete="new-password" data-testid="kafka-connection-password" />
          </Form.Item>
        </>
      )}
      {protocol.endsWith('SSL') && (
        <Form.Item name="sslCaCertificate" label={t('kafka.sslCa')} extra={t('kafka.sslCaHelp')}>
          <Input.TextArea
            rows={4}
            placeholder="-----BEGIN CERTIFICATE-----"
            data-testid="kafka-connection-ca"
          />
        </Form.Item>
      )}
      <Form.Item name="description" label={t('ws.description')}>
        <Input data-testid="kafka-connection-description" />
      </Form.Item>
    </FormModal>
  );
}
