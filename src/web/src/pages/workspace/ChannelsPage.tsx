import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_CHANNEL_TYPES, type AlertChannelType } from '../../../../domain/alerts/alert-notification.ts';
import {
  alertChannelKeys,
  alertChannelsApi,
  useAlertChannels,
  type AlertChannel,
  type AlertChannelInput,
} from '../../api/alert-channels.ts';
import { EditDeleteButtons } from '../../components/DeleteButton.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { ListPage, updatedAtColumn } from '../../components/PageHeader.tsx';
import { Queried } from '../../components/Problem.tsx';
import { useIsAdmin } from '../../api/spaces.ts';

/** Where a channel sends: its (masked) address, or its SMTP server and recipients. */
export function destination(c: AlertChannel, t: (k: string) => string): string {
  if (c.type === 'email')
    return `${c.host}:${c.port}${c.tls ? '' : ` (${t('ch.noTls')})`} → ${(c.to ?? []).join(', ')}`;
  return `${c.url ?? ''}${c.secret ? ` (${t('ch.signed')})` : ''}`;
}

/** Alert channels: list, add or edit (fields by type), test, delete. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const channels = useAlertChannels();
  const [editing, setEditing] = useState<AlertChannel | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: alertChannelsApi.remove,
    onSuccess: (_, name) => void message.success(t('ch.deleted', { name })),
    onError: (e, name) => void modal.error({ title: t('ch.deleteFailed', { name }), content: e.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: alertChannelKeys.all }),
  });
  const test = useMutation({
    mutationFn: alertChannelsApi.test,
    onSuccess: (r) =>
      void modal.success({
        title: t('ch.testTitle', { name: r.channel }),
        content: (
          <span data-testid="channel-test-result">
            {t('ch.testSent', { sent: r.sent, answer: r.answer })}
          </span>
        ),
      }),
    onError: (e, name) =>
      void modal.error({
        title: t('ch.testFailed', { name }),
        content: <span data-testid="channel-test-result">{e.message}</span>,
      }),
  });

  const table = (data: AlertChannel[]) => (
    <Table<AlertChannel>
      rowKey="name"
      dataSource={data}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      columns={[
        { title: t('common.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name) },
        { title: t('ch.type'), dataIndex: 'type', render: (v: string) => <Tag>{v}</Tag> },
        { title: t('ch.destination'), render: (_, c) => destination(c, t) },
        updatedAtColumn(t),
        {
          title: t('ws.actions'),
          // Channels are every space's: platform admins test, change and remove them.
          render: (_, c) =>
            admin && (
              <Space>
                <Button
                  size="small"
                  onClick={() => test.mutate(c.name)}
                  loading={test.isPending && test.variables === c.name}
                  data-testid="channel-test"
                >
                  {t('ch.test')}
                </Button>
                <EditDeleteButtons
                  name={c.name}
                  onEdit={() => setEditing(c)}
                  confirm={t('ch.confirmDelete', { name: c.name })}
                  remove={remove}
                  testIdPrefix="channel"
                />
              </Space>
            ),
        },
      ]}
    />
  );

  return (
    <ListPage
      title={t('ch.title')}
      intro={t('ch.intro')}
      newLabel={t('ch.new')}
      newTestId="channel-new"
      onNew={admin ? () => setEditing('new') : undefined}
    >
      <Queried
        query={channels}
        empty={
          <Empty description={t('ch.empty')} data-testid="channels-empty">
            {admin && (
              <Button type="primary" onClick={() => setEditing('new')}>
                {t('ch.new')}
              </Button>
            )}
          </Empty>
        }
      >
        {table}
      </Queried>
      <ChannelForm
        open={editing !== null}
        channel={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </ListPage>
  );
}

interface Values {
  name: string;
  type: AlertChannelType;
  url?: string;
  secret?: string;
  host?: string;
  port?: number | null;
  tls?: boolean;
  username?: string;
  password?: string;
  from?: string;
  to?: string;
}

/** The form's values as the API's input: the fields of the chosen type; secrets left empty keep theirs. */
export function channelInput(v: Values, editing: AlertChannel | null): AlertChannelInput {
  const kept = editing?.type === v.type;
  const opt = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  switch (v.type) {
    case 'webhook':
    case 'wecom':
      return { type: v.type, url: v.url?.trim() ?? '' };
    case 'dingtalk':
    case 'lark': {
      const secret = opt(v.secret);
      return {
        type: v.type,
        url: v.url?.trim() ?? '',
        ...(secret ? { secret } : kept ? {} : { secret: null }),
      };
    }
    case 'email': {
      const password = opt(v.password);
      return {
        type: 'email',
        host: v.host?.trim() ?? '',
        ...(v.port ? { port: v.port } : {}),
        tls: v.tls ?? true,
        username: opt(v.username) ?? null,
        ...(password ? { password } : kept ? {} : { password: null }),
        from: v.from?.trim() ?? '',
        to: (v.to ?? '')
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      };
    }
  }
}

function ChannelForm({
  open,
  channel,
  onClose,
}: {
  open: boolean;
  channel: AlertChannel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form) ?? channel?.type ?? 'webhook';
  const save = useMutation({
    mutationFn: (v: Values) => alertChannelsApi.put(v.name.trim(), channelInput(v, channel)),
    onSuccess: (c) => {
      void message.success(t('ch.saved', { name: c.name }));
      void qc.invalidateQueries({ queryKey: alertChannelKeys.all });
      onClose();
    },
  });
  const editingSame = channel?.type === type;
  const required = [{ required: true, message: t('ch.required') }];
  return (
    <FormModal
      name="channel"
      open={open}
      title={channel ? t('ch.editTitle', { name: channel.name }) : t('ch.new')}
      okText={t('common.save')}
      form={form}
      initialValues={{
        name: channel?.name ?? '',
        type: channel?.type ?? 'webhook',
        // A robot's masked address is sent back as it is: the server keeps the stored one.
        url: channel?.url ?? '',
        secret: '',
        host: channel?.host ?? '',
        port: channel?.port ?? null,
        tls: channel?.tls ?? true,
        username: channel?.username ?? '',
        password: '',
        from: channel?.from ?? '',
        to: (channel?.to ?? []).join(', '),
      }}
      onFinish={(v) => save.mutate(v)}
      request={save}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={t('common.name')}
        extra={t('ch.nameHelp')}
        rules={[
          ...required,
          { pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, message: t('ch.nameInvalid') },
        ]}
      >
        <Input disabled={!!channel} placeholder="ops-dingtalk" data-testid="channel-name" />
      </Form.Item>
      <Form.Item name="type" label={t('ch.type')}>
        <Select
          data-testid="channel-type"
          options={ALERT_CHANNEL_TYPES.map((v) => ({ value: v, label: v }))}
        />
      </Form.Item>
      {type !== 'email' && (
        <Form.Item
          name="url"
          label={t('ch.url')}
          rules={required}
          extra={
            editingSame && type !== 'webhook'
              ? t('ch.urlKeep')
              : t(type === 'webhook' ? 'ch.urlHelp.webhook' : 'ch.urlHelp.robot')
          }
        >
          <Input placeholder="https://" data-testid="channel-url" />
        </Form.Item>
      )}
      {(type === 'dingtalk' || type === 'lark') && (
        <Form.Item
          name="secret"
          label={t('ch.secret')}
          extra={editingSame && channel?.secret ? t('ch.secretKeep') : t('ch.secretHelp')}
        >
          <Input.Password autoComplete="new-password" data-testid="channel-secret" />
        </Form.Item>
      )}
      {type === 'email' && (
        <>
          <Form.Item name="host" label={t('ch.host')} rules={required}>
            <Input placeholder="smtp.example.com" data-testid="channel-host" />
          </Form.Item>
          <Form.Item name="port" label={t('ch.port')}>
            <InputNumber min={1} max={65535} placeholder="587" data-testid="channel-port" />
          </Form.Item>
          <Form.Item name="tls" valuePropName="checked">
            <Checkbox data-testid="channel-tls">{t('ch.tls')}</Checkbox>
          </Form.Item>
          <Form.Item name="username" label={t('ch.username')}>
            <Input autoComplete="off" data-testid="channel-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('ch.password')}
            extra={editingSame && channel?.password ? t('ch.passwordKeep') : undefined}
          >
            <Input.Password autoComplete="new-password" data-testid="channel-password" />
          </Form.Item>
          <Form.Item name="from" label={t('ch.from')} rules={required}>
            <Input placeholder="sluice@example.com" data-testid="channel-from" />
          </Form.Item>
          <Form.Item name="to" label={t('ch.to')} rules={required} extra={t('ch.toHelp')}>
            <Input placeholder="ops@example.com, dev@example.com" data-testid="channel-to" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
