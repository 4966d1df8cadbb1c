import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Typography,
  type FormInstance,
} from 'antd';
import { useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { targetKeys, targetsApi, type TargetView } from '../../api/targets.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { KeyValueRows } from '../../components/KeyValueRows.tsx';
import {
  atField,
  hasUpgradeMode,
  JARS_FROM,
  jarsFromOf,
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
import { messageText, reasonText, type Translate } from '../../models/message-text.ts';
import { ApiError } from '../../api/http.ts';
import { ResourcesPanel } from './ResourcesPanel.tsx';
import { SpaceSelect } from '../../components/Spaces.tsx';
import type { Message } from '../../../../domain/messages.ts';
import { EngineVersionItem, TargetNameItem } from './TargetFormItems.tsx';

export type KubernetesTarget = NonNullable<TargetView['kubernetes']>;

/** Where a Kubernetes target is: its namespace on a cluster (by context and address), its mode and image. */
export function KubernetesWhere({ k }: { k: KubernetesTarget }) {
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
export function KubernetesChecks({ checks }: { checks: KubernetesTarget['checks'] }) {
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

/** A Kubernetes target's details: where it is, its settings, its checks and its resources. */
export function KubernetesDetails({ name, k }: { name: string; k: KubernetesTarget }) {
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
            key: 'jarsFrom',
            label: t('ws.targets.jarsFrom'),
            children: (
              <span data-testid="kubernetes-jars-from-shown">
                {t(`ws.targets.jarsFrom.${jarsFromOf(k.spec)}`)}
                {jarsFromOf(k.spec) === 'platform' && (
                  <>
                    {' '}
                    <Typography.Text code>{k.spec.platformUrl}</Typography.Text>
                  </>
                )}
                {jarsFromOf(k.spec) === 's3' && (
                  <>
                    {' '}
                    <Typography.Text type="secondary">
                      {k.spec.s3EndpointForPods
                        ? t('ws.targets.s3EndpointShown', { endpoint: k.spec.s3EndpointForPods })
                        : t('ws.targets.s3EndpointServer')}
                    </Typography.Text>
                  </>
                )}
              </span>
            ),
          },
          {
            key: 'connectors',
            label: t('ws.targets.connectors'),
            children: t(
              k.spec.connectorsInImage ? 'ws.targets.connectorsImage' : 'ws.targets.connectorsShipped',
            ),
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

/** Registers a Kubernetes namespace as a target (its mode, image, shared folder, session sizes). */
export function KubernetesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<KubernetesTargetForm>();
  const mode = Form.useWatch('mode', form);
  const session = Form.useWatch('session', form);
  const jarsFrom = Form.useWatch('jarsFrom', form);
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
      // These fields have no rule of their own to judge them again: the server's refusal goes once one is edited.
      onValuesChange={(changed) => {
        for (const f of ['sharedDir', 'sharedClaim', 'jarsFrom', 'platformUrl', 's3EndpointForPods'] as const)
          if (f in changed) form.setFields([{ name: f, errors: [] }]);
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
          <EngineVersionItem />
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
        <Col span={24}>
          <Form.Item
            name="jarsFrom"
            label={t('ws.targets.jarsFrom')}
            extra={t(`ws.targets.jarsFromHelp.${jarsFrom ?? 'sharedFolder'}`)}
          >
            <Select
              data-testid="kubernetes-jars-from"
              placeholder={t('ws.targets.jarsFrom.sharedFolder')}
              allowClear
              options={JARS_FROM.map((w) => ({ value: w, label: t(`ws.targets.jarsFrom.${w}`) }))}
            />
          </Form.Item>
        </Col>
        {jarsFrom === 'platform' && (
          <Col span={24}>
            <Form.Item
              name="platformUrl"
              label={t('ws.targets.platformUrl')}
              rules={[{ required: true, message: t('ws.targets.platformUrlRequired') }]}
            >
              <Input placeholder="http://10.0.0.5:8080" data-testid="kubernetes-platform-url" />
            </Form.Item>
          </Col>
        )}
        {jarsFrom === 's3' && (
          <Col span={24}>
            <Form.Item
              name="s3EndpointForPods"
              label={t('ws.targets.s3EndpointForPods')}
              extra={t('ws.targets.s3EndpointForPodsHelp')}
            >
              <Input placeholder="http://minio.storage:9000" data-testid="kubernetes-s3-endpoint" />
            </Form.Item>
          </Col>
        )}
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
          <Form.Item
            name="connectorsInImage"
            valuePropName="checked"
            extra={t('ws.targets.connectorsInImageHelp')}
          >
            <Checkbox data-testid="kubernetes-connectors-in-image">
              {t('ws.targets.connectorsInImage')}
            </Checkbox>
          </Form.Item>
        </Col>
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
 * A refusal of a registration about a session's field (a size, the shared folder or its claim where
 * the form has them), shown at that field in the console's language; anything else stays above the form.
 */
function showAtField(
  e: unknown,
  // Either form: a size's name path is the same in both.
  form: FormInstance,
  addForm: boolean,
  shown: Dispatch<SetStateAction<boolean>>,
  t: Translate,
) {
  if (!(e instanceof ApiError)) return;
  const field = refusedSessionField(e.details);
  // The sizes form has the sizes only.
  if (!field || (typeof field === 'string' && !addForm)) return;
  const text = e.messageCode
    ? messageText(t, atField({ code: e.messageCode, params: e.messageParams ?? {} } as Message))
    : e.message;
  shown(true);
  form.setFields([{ name: field, errors: [text] }]);
}

/** The sizes of a stopped Kubernetes session target, changed by registering it again with them. */
export function SessionSizesModal({
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
