import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Empty, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EditDeleteButtons } from '../../components/DeleteButton.tsx';
import { ListPage, updatedAtColumn } from '../../components/PageHeader.tsx';
import { useVariables, workspaceApi, workspaceKeys, type Variable } from '../../api/workspace.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import { SecretValue } from './SecretValue.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { SpaceSelect, spaceColumn } from '../../components/Spaces.tsx';

type VariableInSpace = Variable & { space: string };

/** Workspace variables, referenced as ${name} in SQL and options; secrets never show their value. */
export function VariablesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const variables = useVariables();
  const shown = useInPicked(variables.data);
  const mayIn = useMayIn();
  const mayCreate = useMayCreate();
  const [editing, setEditing] = useState<Variable | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: workspaceApi.deleteVariable,
    onSuccess: (_, name) => void message.success(t('ws.variables.deleted', { name })),
    onError: (e, name) =>
      void modal.error({ title: t('ws.variables.deleteFailed', { name }), content: e.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: workspaceKeys.variables }),
  });

  let body;
  if (variables.isPending) body = <Loading />;
  else if (variables.isError)
    body = <ErrorPanel error={variables.error} retry={() => void variables.refetch()} />;
  else if (!shown.length)
    body = (
      <Empty description={t('ws.variables.empty')} data-testid="variables-empty">
        {mayCreate && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('ws.variables.new')}
          </Button>
        )}
      </Empty>
    );
  else
    body = (
      <Table<VariableInSpace>
        rowKey="name"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            sorter: (a, b) => a.name.localeCompare(b.name),
            render: (n: string) => (
              <Typography.Text code copyable={{ text: `\${${n}}` }}>
                {n}
              </Typography.Text>
            ),
          },
          {
            title: t('ws.variables.value'),
            render: (_, v) =>
              v.secret ? (
                <SecretValue variable={v} />
              ) : (
                <Typography.Text
                  code
                  style={{ maxWidth: 360 }}
                  ellipsis={{ tooltip: v.value }}
                  data-testid={`value-${v.name}`}
                >
                  {v.value}
                </Typography.Text>
              ),
          },
          spaceColumn(t),
          { title: t('ws.description'), dataIndex: 'description' },
          updatedAtColumn(t),
          {
            title: t('ws.actions'),
            render: (_, v) =>
              mayIn(v.space, 'change') && (
                <Space>
                  <EditDeleteButtons
                    name={v.name}
                    onEdit={() => setEditing(v)}
                    confirm={t('ws.variables.confirmDelete', { name: v.name })}
                    remove={remove}
                    testIdPrefix="variable"
                  />
                </Space>
              ),
          },
        ]}
      />
    );

  return (
    <ListPage
      title={t('ws.variables.title')}
      intro={t('ws.variables.intro')}
      newLabel={t('ws.variables.new')}
      newTestId="variable-new"
      onNew={mayCreate ? () => setEditing('new') : undefined}
    >
      {body}
      <VariableForm
        open={editing !== null}
        variable={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </ListPage>
  );
}

interface Values {
  name: string;
  space?: string;
  value: string;
  secret: boolean;
  description?: string;
}

function VariableForm({
  open,
  variable,
  onClose,
}: {
  open: boolean;
  variable: Variable | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const secret = Form.useWatch('secret', form);
  const save = useMutation({
    mutationFn: (v: Values) =>
      workspaceApi.setVariable(v.name.trim(), {
        value: v.value ?? '',
        secret: !!v.secret,
        description: v.description?.trim() ?? '',
        // A new variable's space; an existing one stays where it is.
        ...(v.space ? { space: v.space } : {}),
      }),
    onSuccess: (v) => {
      void message.success(t('ws.variables.saved', { name: v.name }));
      void qc.invalidateQueries({ queryKey: workspaceKeys.variables });
      onClose();
    },
  });
  return (
    <FormModal
      name="variable"
      open={open}
      title={variable ? t('ws.variables.editTitle', { name: variable.name }) : t('ws.variables.new')}
      okText={t('common.save')}
      form={form}
      initialValues={{
        name: variable?.name ?? '',
        // A secret's value never comes back: a new one must be typed.
        value: variable?.secret ? '' : (variable?.value ?? ''),
        secret: variable?.secret ?? false,
        description: variable?.description ?? '',
      }}
      onFinish={(v) => save.mutate(v)}
      request={save}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={t('common.name')}
        extra={t('ws.variables.nameHelp')}
        rules={[
          { required: true, message: t('ws.nameRequired') },
          { pattern: /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, message: t('ws.variables.nameInvalid') },
        ]}
      >
        <Input disabled={!!variable} placeholder="kafka_brokers" data-testid="variable-name" />
      </Form.Item>
      {!variable && (
        <Form.Item name="space" label={t('spaces.space')}>
          <SpaceSelect testId="variable-space" />
        </Form.Item>
      )}
      <Form.Item name="secret" valuePropName="checked" extra={t('ws.variables.secretHelp')}>
        <Checkbox data-testid="variable-secret">{t('ws.variables.isSecret')}</Checkbox>
      </Form.Item>
      <Form.Item
        name="value"
        label={t('ws.variables.value')}
        rules={[{ required: !!variable?.secret || !!secret, message: t('ws.variables.valueRequired') }]}
        extra={variable?.secret ? t('ws.variables.secretReplace') : undefined}
      >
        {secret ? (
          <Input.Password autoComplete="new-password" data-testid="variable-value" />
        ) : (
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} data-testid="variable-value" />
        )}
      </Form.Item>
      <Form.Item name="description" label={t('ws.description')}>
        <Input />
      </Form.Item>
    </FormModal>
  );
}
