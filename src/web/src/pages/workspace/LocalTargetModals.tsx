import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Col, Form, Input, InputNumber, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { targetKeys, targetsApi, type ClusterSettings } from '../../api/targets.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { SpaceSelect } from '../../components/Spaces.tsx';
import { EngineVersionItem, TargetNameItem } from './TargetFormItems.tsx';
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

/** Defines a local session cluster target: its engine, ports and sizes. */
export function DefineModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
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
          <EngineVersionItem />
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

/** Registers a remote Flink cluster (and its SQL Gateway) as a target. */
export function RemoteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
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
