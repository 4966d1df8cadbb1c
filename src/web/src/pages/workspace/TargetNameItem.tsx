import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
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
