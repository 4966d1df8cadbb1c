import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, AutoComplete, Form, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTargets } from '../../api/targets.ts';
import {
  useCatalogTypes,
  workspaceApi,
  workspaceKeys,
  type CatalogDefinition,
  type CatalogTypes,
} from '../../api/workspace.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { KeyValueRows } from '../../components/KeyValueRows.tsx';
import { literalCredential } from '../../models/credential.ts';
import { SpaceSelect } from '../../components/Spaces.tsx';
import { recordOfRows, rowsOfRecord, type KeyValueRow } from '../../models/key-value-rows.ts';

interface Values {
  name: string;
  type: string;
  options: KeyValueRow[];
  description?: string;
  target?: string;
  space?: string;
}

/**
 * Defines or changes a catalog: its type, the options of CREATE CATALOG (values may reference
 * ${variables}) and a description. Flink creates it once before it is saved, so a definition it
 * rejects is never stored: Flink's message is shown instead.
 */
export function CatalogForm({
  open,
  catalog,
  onClose,
}: {
  open: boolean;
  /** null: a new catalog. */
  catalog: CatalogDefinition | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const targets = useTargets();
  const [form] = Form.useForm<Values>();
  // The types offered are those of the engine of the target that will check the catalog.
  const types = useCatalogTypes(Form.useWatch('target', form) ?? undefined);
  const save = useMutation({
    mutationFn: (v: Values) =>
      workspaceApi.setCatalog(
        v.name.trim(),
        {
          type: v.type.trim(),
          options: recordOfRows(v.options),
          description: v.description?.trim() ?? '',
          // A new catalog's space; an existing one stays where it is.
          ...(v.space ? { space: v.space } : {}),
        },
        v.target,
      ),
    onSuccess: (c) => {
      void message.success(t('ws.catalogs.saved', { name: c.name }));
      void qc.invalidateQueries({ queryKey: workspaceKeys.catalogs });
      onClose();
    },
  });
  return (
    <FormModal
      name="catalog"
      open={open}
      width={720}
      title={catalog ? t('ws.catalogs.editTitle', { name: catalog.name }) : t('ws.catalogs.new')}
      okText={t('ws.catalogs.checkAndSave')}
      form={form}
      initialValues={{
        name: catalog?.name ?? '',
        type: catalog?.type ?? 'generic_in_memory',
        options: rowsOfRecord(catalog?.options),
        description: catalog?.description ?? '',
        target: undefined,
      }}
      onFinish={(v) => save.mutate(v)}
      request={save}
      onClose={onClose}
      errorTestId="catalog-save-error"
    >
      <Space align="start" style={{ width: '100%' }} size="middle">
        <Form.Item
          name="name"
          label={t('common.name')}
          style={{ width: 260 }}
          rules={[
            { required: true, message: t('ws.nameRequired') },
            { pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/, message: t('ws.catalogs.nameInvalid') },
          ]}
        >
          <Input disabled={!!catalog} placeholder="my_catalog" data-testid="catalog-name" />
        </Form.Item>
        {!catalog && (
          <Form.Item name="space" label={t('spaces.space')}>
            <SpaceSelect testId="catalog-space" />
          </Form.Item>
        )}
        <Form.Item
          name="type"
          label={t('ws.catalogs.type')}
          style={{ width: 260 }}
          rules={[
            { required: true, message: t('ws.catalogs.typeRequired') },
            { pattern: /^[a-z][a-z0-9_-]*$/, message: t('ws.catalogs.typeInvalid') },
          ]}
        >
          {types.data?.types ? (
            <Select
              data-testid="catalog-type"
              options={types.data.types.map((f) => ({ value: f.type, label: f.type }))}
            />
          ) : (
            // A remote session target: its jars are not known here, any factory name may be typed.
            <AutoComplete data-testid="catalog-type" />
          )}
        </Form.Item>
      </Space>
      {types.data && <TypesHelp types={types.data} />}
      <Typography.Text strong>{t('ws.catalogs.options')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('ws.catalogs.optionsHelp')}
      </Typography.Paragraph>
      <KeyValueRows
        name="options"
        texts={{
          key: t('ws.catalogs.key'),
          value: t('ws.catalogs.value'),
          add: t('ws.catalogs.addOption'),
          keyRequired: t('ws.catalogs.keyRequired'),
          keyDuplicate: t('ws.catalogs.keyDuplicate'),
        }}
        testIds={{ key: 'catalog-option-key', value: 'catalog-option-value', add: 'catalog-add-option' }}
        refuseKey={(k) => (k === 'type' ? t('ws.catalogs.keyIsType') : null)}
        valueWarning={(o) => (literalCredential(o.key, o.value) ? t('ws.catalogs.literalCredential') : null)}
      />
      <Form.Item name="description" label={t('ws.description')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="target" label={t('ws.catalogs.checkOn')} extra={t('ws.catalogs.checkHelp')}>
        <Select
          allowClear
          placeholder={t('ws.catalogs.defaultTarget')}
          loading={targets.isPending}
          options={(targets.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.state})` }))}
        />
      </Form.Item>
    </FormModal>
  );
}

/** Which types the engine has, and how to add another: the jar, where it goes, what else it needs. */
function TypesHelp({ types }: { types: CatalogTypes }) {
  const { t } = useTranslation();
  if (!types.types)
    return (
      <Typography.Paragraph type="secondary" data-testid="catalog-types-help">
        {t('ws.catalogs.typesRemote')}
      </Typography.Paragraph>
    );
  return (
    <Typography.Paragraph type="secondary" data-testid="catalog-types-help">
      {t('ws.catalogs.typesHelp', { engine: types.engineVersion, libDir: types.libDir })}
      <ul style={{ margin: '4px 0 0' }}>
        {types.missing.map((c) => (
          <li key={c.type}>
            {t('ws.catalogs.connector', { type: c.type, artifact: c.artifact, engine: types.engineVersion })}
            {c.needs ? `; ${t(`ws.catalogs.needs.${c.type}`, { defaultValue: c.needs })}` : ''}
          </li>
        ))}
      </ul>
    </Typography.Paragraph>
  );
}
