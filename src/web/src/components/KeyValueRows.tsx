import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { keyTypedTwice, type KeyValueRow } from '../models/key-value-rows.ts';

/**
 * `key = value` rows of a form (a catalog's options, a Kubernetes target's Flink options): a key is
 * required and typed once; a form may refuse a key or warn about a value in words of its own.
 */
export function KeyValueRows({
  name,
  texts,
  testIds,
  refuseKey,
  valueWarning,
}: {
  /** The form field holding the rows. */
  name: string;
  texts: { key: string; value: string; add: string; keyRequired: string; keyDuplicate: string };
  testIds: { key: string; value: string; add: string };
  /** Why a key cannot be used here, or null. */
  refuseKey?: (key: string) => string | null;
  /** A warning shown under a value (not a refusal), or null. */
  valueWarning?: (row: KeyValueRow) => string | null;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map(({ key, name: row }) => (
            <Space key={key} align="baseline" style={{ display: 'flex' }}>
              <Form.Item
                name={[row, 'key']}
                style={{ width: 280, marginBottom: 8 }}
                rules={[
                  { required: true, whitespace: true, message: texts.keyRequired },
                  ({ getFieldValue }) => ({
                    validator: (_, v: string | undefined) => {
                      const refused = v?.trim() ? refuseKey?.(v.trim()) : null;
                      if (refused) return Promise.reject(new Error(refused));
                      if (keyTypedTwice(getFieldValue(name) as KeyValueRow[] | undefined, v))
                        return Promise.reject(new Error(texts.keyDuplicate));
                      return Promise.resolve();
                    },
                  }),
                ]}
              >
                <Input placeholder={texts.key} data-testid={testIds.key} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) => {
                  const warn = valueWarning?.((getFieldValue([name, row]) as KeyValueRow | undefined) ?? {});
                  return (
                    <Form.Item
                      name={[row, 'value']}
                      style={{ width: 320, marginBottom: 8 }}
                      validateStatus={warn ? 'warning' : undefined}
                      help={warn ?? undefined}
                    >
                      <Input placeholder={texts.value} data-testid={testIds.value} />
                    </Form.Item>
                  );
                }}
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(row)} aria-label={t('common.delete')} />
            </Space>
          ))}
          <Button
            type="dashed"
            onClick={() => add({ key: '', value: '' })}
            icon={<PlusOutlined />}
            style={{ marginBottom: 16 }}
            data-testid={testIds.add}
          >
            {texts.add}
          </Button>
        </>
      )}
    </Form.List>
  );
}
