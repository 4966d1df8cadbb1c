import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddUser, useRemoveUser, useSetPassword, useUsers, type UserInfo } from '../../api/access.ts';
import { useMe } from '../../api/spaces.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorPanel, Loading, MutationError } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { hasSluicePassword, passwordFormProblem, userRequest } from '../../models/account.ts';
import { SecretOnceModal } from './AccountPage.tsx';
import { DeleteButton } from '../../components/DeleteButton.tsx';

/** The password fields of a form, typed twice; `required` false: left empty means none. */
function PasswordFields({ required }: { required: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="password"
        label={t('users.password')}
        extra={required ? t('account.passwordHint') : t('users.passwordHint')}
        rules={required ? [{ required: true, message: t('account.required') }] : []}
      >
        <Input.Password autoComplete="new-password" data-testid="user-password" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t('users.repeat')}
        dependencies={['password']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, repeat: string | undefined) =>
              passwordFormProblem({
                password: (getFieldValue('password') as string | undefined) ?? '',
                repeat: repeat ?? '',
              })
                ? Promise.reject(new Error(t('account.differ')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="user-password-repeat" />
      </Form.Item>
    </>
  );
}

/** Users, for platform admins: listed, added (the first API token shown once), removed, a local one's password set. */
export function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const users = useUsers(me.data?.admin === true);
  const add = useAddUser();
  const remove = useRemoveUser();
  const setPassword = useSetPassword();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<{ name: string; secret: string } | null>(null);
  const [passwordOf, setPasswordOf] = useState<string | null>(null);
  const [addForm] = Form.useForm<{ name: string; admin: boolean; password?: string }>();
  const [passwordForm] = Form.useForm<{ password: string }>();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorPanel error={me.error} retry={() => void me.refetch()} />;
  if (!me.data.admin)
    return <Alert type="info" showIcon title={t('users.adminOnly')} data-testid="users-admin-only" />;
  if (users.isPending) return <Loading />;
  if (users.isError) return <ErrorPanel error={users.error} retry={() => void users.refetch()} />;
  const closeAdd = () => {
    setAdding(false);
    setAdded(null);
    add.reset();
    addForm.resetFields();
  };
  const closePassword = () => {
    setPasswordOf(null);
    setPassword.reset();
    passwordForm.resetFields();
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader
        title={t('users.title')}
        intro={t('users.intro')}
        action={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="user-new"
          >
            {t('users.add')}
          </Button>
        }
      />
      <MutationError mutation={remove} testId="user-error" />
      <Table<UserInfo>
        rowKey="name"
        data-testid="users-table"
        dataSource={users.data}
        pagination={false}
        columns={[
          { title: t('users.name'), dataIndex: 'name' },
          {
            title: t('users.source'),
            dataIndex: 'source',
            render: (source: UserInfo['source']) => (
              <Tag title={t(`auth.sourceHint.${source}`)}>{t(`auth.source.${source}`)}</Tag>
            ),
          },
          {
            title: t('users.admin'),
            dataIndex: 'admin',
            render: (admin: boolean) => (admin ? <Tag color="gold">{t('users.yes')}</Tag> : null),
          },
          { title: t('users.created'), dataIndex: 'createdAt', render: (at: string) => localTime(at) },
          {
            title: '',
            render: (_, u) => (
              <Space>
                {hasSluicePassword(u) ? (
                  <Button
                    size="small"
                    onClick={() => setPasswordOf(u.name)}
                    data-testid={`user-password-${u.name}`}
                  >
                    {t('users.setPassword')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary">
                    {t('users.password')}: {t('users.directoryPassword')}
                  </Typography.Text>
                )}
                <DeleteButton
                  confirm={t('users.removeConfirm', { name: u.name })}
                  confirmId="confirm-user-remove"
                  label={t('users.remove')}
                  testId={`user-remove-${u.name}`}
                  onConfirm={() =>
                    remove.mutate(u.name, {
                      onSuccess: () => void message.success(t('users.removed', { name: u.name })),
                    })
                  }
                />
              </Space>
            ),
          },
        ]}
      />
      <SecretOnceModal
        open={adding}
        title={t('users.add')}
        onClose={closeAdd}
        made={added && { intro: t('users.firstToken', { name: added.name }), secret: added.secret }}
        submit={{
          label: t('users.add'),
          loading: add.isPending,
          onClick: () => addForm.submit(),
          testId: 'user-add',
        }}
        doneTestId="user-done"
      >
        <Form
          form={addForm}
          layout="vertical"
          requiredMark={false}
          initialValues={{ admin: false }}
          onFinish={(v) =>
            add.mutate(userRequest(v), {
              onSuccess: (r) => setAdded({ name: r.user.name, secret: r.secret }),
            })
          }
        >
          <MutationError mutation={add} testId="user-add-error" inForm />
          <Form.Item
            name="name"
            label={t('users.name')}
            extra={t('users.nameHint')}
            rules={[{ required: true, message: t('account.required') }]}
          >
            <Input data-testid="user-name" />
          </Form.Item>
          <Form.Item name="admin" valuePropName="checked">
            <Checkbox data-testid="user-admin">{t('users.admin')}</Checkbox>
          </Form.Item>
          <PasswordFields required={false} />
        </Form>
      </SecretOnceModal>
      <Modal
        open={passwordOf !== null}
        title={passwordOf ? t('users.setPasswordTitle', { name: passwordOf }) : ''}
        onCancel={closePassword}
        destroyOnHidden
        okButtonProps={{ id: 'confirm-user-password', loading: setPassword.isPending }}
        onOk={() => passwordForm.submit()}
      >
        <Form
          form={passwordForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) =>
            passwordOf &&
            setPassword.mutate(
              { name: passwordOf, password: v.password },
              {
                onSuccess: () => {
                  void message.success(t('users.passwordSet', { name: passwordOf }));
                  closePassword();
                },
              },
            )
          }
        >
          <Typography.Paragraph type="secondary">{t('users.setPasswordIntro')}</Typography.Paragraph>
          <MutationError mutation={setPassword} testId="user-password-error" inForm />
          <PasswordFields required />
        </Form>
      </Modal>
    </Space>
  );
}
