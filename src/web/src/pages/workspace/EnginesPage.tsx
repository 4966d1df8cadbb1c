import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Empty, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  engineKeys,
  enginesApi,
  useBootstrap,
  useEngines,
  type EngineView,
  type Operation,
} from '../../api/engines.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import { OperationProgress, useTrackedOperations } from './OperationProgress.tsx';
import { localTime } from '../../i18n/index.ts';
import { reasonText } from '../../models/message-text.ts';
import { supportedEngineVersionsText } from '../../../../domain/engines/flink-distribution.ts';
import { useIsAdmin } from '../../api/spaces.ts';

/** 1.20, 1.20.3, or 2.x (the newest 2.x recipe), as `POST /engines/install` takes them. */
const VERSION = /^\d+\.(x|\d+(\.\d+)?)$/;

/** Installed Flink versions, with the installs in flight. */
export function EnginesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const ops = useTrackedOperations();
  const bootstrap = useBootstrap();
  const [bootstrapClosed, setBootstrapClosed] = useState(false);
  const refresh = useCallback(
    (_op: Operation) => {
      void qc.invalidateQueries({ queryKey: engineKeys.all, exact: true });
    },
    [qc],
  );
  const boot = bootstrap.data;
  // The provisioning of the default engine at server start, while it runs or when it failed.
  const showBoot =
    boot && boot.status !== 'succeeded' && !bootstrapClosed && !ops.ids.includes(boot.operationId);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('ws.engines.title')}
      </Typography.Title>
      {showBoot && (
        <OperationProgress
          id={boot.operationId}
          title={t('ws.engines.bootstrap')}
          onDone={refresh}
          onClose={() => setBootstrapClosed(true)}
        />
      )}
      {ops.ids.map((id) => (
        <OperationProgress key={id} id={id} onDone={refresh} onClose={() => ops.forget(id)} />
      ))}
      <EnginesCard onOperation={ops.track} />
    </Space>
  );
}

function EnginesCard({ onOperation }: { onOperation: (id: string) => void }) {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const engines = useEngines();
  const [installOpen, setInstallOpen] = useState(false);
  const [registerOpen, setRegisterOpen] = useState(false);
  const setDefault = useMutation({
    mutationFn: enginesApi.setDefault,
    onSuccess: (e) => void message.success(t('ws.engines.defaultSet', { version: e.version })),
    onError: (e) => void message.error(e.message),
    onSettled: () => qc.invalidateQueries({ queryKey: engineKeys.all, exact: true }),
  });

  // Engines are every space's: platform admins install, register and choose the default.
  const actions = admin && (
    <Space>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => setInstallOpen(true)}
        data-testid="engine-install"
      >
        {t('ws.engines.install')}
      </Button>
      <Button onClick={() => setRegisterOpen(true)} data-testid="engine-register">
        {t('ws.engines.register')}
      </Button>
    </Space>
  );

  let body;
  if (engines.isPending) body = <Loading />;
  else if (engines.isError) body = <ErrorPanel error={engines.error} retry={() => void engines.refetch()} />;
  else if (!engines.data.length)
    body = (
      <Empty description={t('ws.engines.empty')} data-testid="engines-empty">
        {admin && (
          <Button type="primary" onClick={() => setInstallOpen(true)}>
            {t('ws.engines.installFirst')}
          </Button>
        )}
      </Empty>
    );
  else
    body = (
      <Table<EngineView>
        rowKey="version"
        size="middle"
        dataSource={engines.data}
        pagination={false}
        columns={[
          {
            title: t('ws.engines.version'),
            dataIndex: 'version',
            render: (v: string, e) => (
              <Space>
                <Typography.Text strong>{v}</Typography.Text>
                {e.isDefault && (
                  <Tag color="blue" data-testid="engine-default">
                    {t('ws.engines.default')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('ws.engines.flinkVersion'), dataIndex: 'flinkVersion' },
          {
            title: t('ws.engines.source'),
            dataIndex: 'source',
            render: (s: string) => <Tag>{t(`ws.engines.source.${s}`, { defaultValue: s })}</Tag>,
          },
          {
            title: t('ws.engines.health'),
            render: (_, e) =>
              e.healthy ? (
                <Badge status="success" text={t('ws.engines.healthy')} />
              ) : (
                <Space orientation="vertical" size={0}>
                  <Badge status="error" text={t('ws.engines.broken')} />
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {reasonText(t, e.problem ?? null, e.problemMessage ?? null)}
                  </Typography.Text>
                </Space>
              ),
          },
          {
            title: t('ws.engines.home'),
            dataIndex: 'home',
            render: (h: string) => (
              <Typography.Text code copyable style={{ fontSize: 12 }}>
                {h}
              </Typography.Text>
            ),
          },
          {
            title: t('ws.engines.installedAt'),
            dataIndex: 'installedAt',
            render: (v: string) => localTime(v),
          },
          {
            title: t('ws.actions'),
            render: (_, e) =>
              e.isDefault || !admin ? null : (
                <Button
                  size="small"
                  loading={setDefault.isPending && setDefault.variables === e.version}
                  onClick={() => setDefault.mutate(e.version)}
                >
                  {t('ws.engines.makeDefault')}
                </Button>
              ),
          },
        ]}
      />
    );

  return (
    <Card title={t('ws.engines.card')} extra={actions}>
      {body}
      <InstallModal
        open={installOpen}
        onClose={() => setInstallOpen(false)}
        onStarted={(op) => {
          setInstallOpen(false);
          onOperation(op.id);
        }}
      />
      <RegisterModal open={registerOpen} onClose={() => setRegisterOpen(false)} />
    </Card>
  );
}

function InstallModal({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (op: Operation) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ version: string }>();
  const install = useMutation({ mutationFn: enginesApi.install, onSuccess: onStarted });
  return (
    <FormModal
      name="engine-install"
      open={open}
      title={t('ws.engines.install')}
      okText={t('ws.engines.installOk')}
      form={form}
      onFinish={(v) => install.mutate(v.version.trim())}
      request={install}
      onClose={onClose}
    >
      <Form.Item
        name="version"
        label={t('ws.engines.version')}
        extra={t('ws.engines.installHelp', { supported: supportedEngineVersionsText() })}
        rules={[
          { required: true, message: t('ws.engines.versionRequired') },
          { pattern: VERSION, message: t('ws.engines.versionInvalid') },
        ]}
      >
        <Input placeholder="1.20" autoFocus data-testid="engine-version" />
      </Form.Item>
    </FormModal>
  );
}

function RegisterModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ home: string }>();
  const register = useMutation({
    mutationFn: enginesApi.register,
    onSuccess: (e) => {
      void message.success(t('ws.engines.registered', { version: e.version }));
      void qc.invalidateQueries({ queryKey: engineKeys.all, exact: true });
      onClose();
    },
  });
  return (
    <FormModal
      name="engine-register"
      open={open}
      title={t('ws.engines.register')}
      okText={t('ws.engines.registerOk')}
      form={form}
      onFinish={(v) => register.mutate(v.home.trim())}
      request={register}
      onClose={onClose}
    >
      <Form.Item
        name="home"
        label={t('ws.engines.home')}
        extra={t('ws.engines.registerHelp')}
        rules={[{ required: true, whitespace: true, message: t('ws.engines.homeRequired') }]}
      >
        <Input placeholder="/opt/flink-1.20.3" autoFocus />
      </Form.Item>
    </FormModal>
  );
}
