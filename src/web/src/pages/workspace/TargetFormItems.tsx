import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useEngines } from '../../api/engines.ts';
import { TARGET_NAME } from '../../../../domain/clusters/local-cluster-spec.ts';

/** A new target's name, under the rule the server checks (Kubernetes' object names). */
export function TargetNameItem({ placeholder, testId }: { placeholder: string; testId: string }) {
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

/** The engine a new target runs, the default engine when none is picked. */
export function EngineVersionItem() {
  const { t } = useTranslation();
  const engines = useEngines();
  return (
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
  );
}
