import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useChangePassword,
  useCreateToken,
  useRevokeToken,
  useTokens,
  type ApiTokenInfo,
} from '../../api/access.ts';
import { useMe } from '../../api/spaces.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorPanel, Loading, MutationError } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import {
  EXPIRY_CHOICES,
  hasSluicePassword,
  passwordFormProblem,
  tokenRequest,
  tokenState,
  type ExpiryChoice,
} from '../../models/account.ts';
import { DeleteButton } from '../../components/DeleteButton.tsx';

/** The signed-in user: who it is and where, its password (local users) and its API tokens. */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorPanel error={me.error} retry={() => void me.refetch()} />;
  const { name, admin, source, spaces } = me.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader title={t('account.title')} intro={t('account.intro')} />
      <Card>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('account.user')}>
            <Space>
              <Typography.Text strong data-testid="account-name">
                {name}
              </Typography.Text>
              {admin && <Tag color="gold">{t('account.admin')}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('account.source')}>
            <Tag title={t(`auth.sourceHint.${source}`)}>{t(`auth.source.${source}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('account.spaces')}>
            <span data-testid="account-spaces">
              {spaces.length
                ? spaces.map((m) => (
                    <Tag key={m.space}>
                      {m.space}: {t(`spaces.role.${m.role}`)}
                    </Tag>
                  ))
                : t('account.noSpaces')}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('account.password')}>
        {hasSluicePassword({ source }) ? (
          <PasswordForm />
        ) : (
          <Alert
            type="info"
            showIcon
            title={t(`account.noPassword.${source}`)}
            data-testid="password-elsewhere"
          />
        )}
      </Card>
      <Tokens />
    </Space>
  );
}

/** The current password, then the new one twice; the server judges its strength and says why not. */
function PasswordForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangePassword();
  const [form] = Form.useForm<{ current: string; password: string; repeat: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 420 }}
      requiredMark={false}
      onFinish={(v) =>
        change.mutate(
          { current: v.current, next: v.password },
          {
            onSuccess: () => {
              form.resetFields();
              void message.success(t('account.changed'));
            },
          },
        )
      }
    >
      <MutationError mutation={change} testId="password-error" inForm />
      <Form.Item
        name="current"
        label={t('account.current')}
        rules={[{ required: true, message: t('account.required') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('account.new')}
        extra={t('account.passwordHint')}
        rules={[{ required: true, message: t('account.required') }]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t('account.repeat')}
        dependencies={['password']}
        rules={[
          { required: true, message: t('account.required') },
          ({ getFieldValue }) => ({
            validator: (_, repeat: string | undefined) =>
              passwordFormProblem({ password: getFieldValue('password') as string, repeat: repeat ?? '' })
                ? Promise.reject(new Error(t('account.differ')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-repeat" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-change">
        {t('account.change')}
      </Button>
    </Form>
  );
}

/** A secret shown this once, with a copy button: it is kept only as its hash. */
function SecretOnce({ intro, secret }: { intro: string; secret: string }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="warning" showIcon title={intro} />
      <Typography.Paragraph
        code
        copyable={{ text: secret }}
        data-testid="token-secret"
        style={{ wordBreak: 'break-all' }}
      >
        {secret}
      </Typography.Paragraph>
    </Space>
  );
}

/**
 * A modal that makes something with a secret (an API token, a user with its first one): its form
 * until the request succeeds, then the secret shown once (SecretOnce), closed with OK.
 */
export function SecretOnceModal({
  open,
  title,
  onClose,
  made,
  submit,
  doneTestId,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  /** What was made: the intro above its secret; null while the form is shown. */
  made: { intro: string; secret: string } | null;
  submit: { label: string; loading: boolean; onClick: () => void; testId: string };
  doneTestId: string;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      footer={
        made ? (
          <Button type="primary" onClick={onClose} data-testid={doneTestId}>
            OK
          </Button>
        ) : (
          <Button
            type="primary"
            loading={submit.loading}
            onClick={submit.onClick}
            data-testid={submit.testId}
          >
            {submit.label}
          </Button>
        )
      }
    >
      {made ? <SecretOnce intro={made.intro} secret={made.secret} /> : children}
    </Modal>
  );
}

/** The user's API tokens: listed with what each may do and when, made (secret shown once), revoked. */
function Tokens() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);
  const [form] = Form.useForm<{ name: string; readOnly: boolean; expires: ExpiryChoice }>();
  const close = () => {
    setCreating(false);
    setMade(null);
    create.reset();
    form.resetFields();
  };
  const now = new Date();
  const when = (at: string | null) => (at ? localTime(at) : '-');
  return (
    <Card
      title={t('account.tokens')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-new">
          {t('account.newToken')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('account.tokensIntro')}</Typography.Text>
        <MutationError mutation={revoke} />
        {tokens.isError ? (
          <ErrorPanel error={tokens.error} retry={() => void tokens.refetch()} />
        ) : (
          <Table<ApiTokenInfo>
            rowKey="id"
            size="small"
            loading={tokens.isPending}
            data-testid="tokens-table"
            dataSource={tokens.data}
            pagination={false}
            columns={[
              { title: t('account.tokenName'), dataIndex: 'name' },
              {
                title: t('account.scopes'),
                dataIndex: 'scopes',
                render: (scopes: ApiTokenInfo['scopes']) =>
                  scopes.map((s) => t(`account.scope.${s}`)).join(', '),
              },
              { title: t('account.created'), dataIndex: 'createdAt', render: when },
              {
                title: t('account.expiresAt'),
                dataIndex: 'expiresAt',
                render: (at: string | null) => (at ? localTime(at) : t('account.never')),
              },
              { title: t('account.lastUsed'), dataIndex: 'lastUsedAt', render: when },
              {
                title: t('account.state'),
                render: (_, tk) => {
                  const state = tokenState(tk, now);
                  return (
                    <Tag
                      color={state === 'active' ? 'green' : undefined}
                      title={tk.revokedAt ? localTime(tk.revokedAt) : undefined}
                      data-testid={`token-state-${tk.name}`}
                    >
                      {t(`account.state.${state}`)}
                    </Tag>
                  );
                },
              },
              {
                title: '',
                render: (_, tk) =>
                  tokenState(tk, now) === 'active' && (
                    <DeleteButton
                      confirm={t('account.revokeConfirm', { name: tk.name })}
                      confirmId="confirm-token-revoke"
                      label={t('account.revoke')}
                      testId={`token-revoke-${tk.name}`}
                      onConfirm={() =>
                        revoke.mutate(tk.id, {
                          onSuccess: () => void message.success(t('account.revoked', { name: tk.name })),
                        })
                      }
                    />
                  ),
              },
            ]}
          />
        )}
      </Space>
      <SecretOnceModal
        open={creating}
        title={t('account.newToken')}
        onClose={close}
        made={made && { intro: t('account.secretOnce', { name: made.name }), secret: made.secret }}
        submit={{
          label: t('account.create'),
          loading: create.isPending,
          onClick: () => form.submit(),
          testId: 'token-create',
        }}
        doneTestId="token-done"
      >
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ readOnly: false, expires: '30d' }}
          onFinish={(v) =>
            create.mutate(tokenRequest(v), {
              onSuccess: (r) => setMade({ name: r.token.name, secret: r.secret }),
            })
          }
        >
          <MutationError mutation={create} inForm />
          <Form.Item
            name="name"
            label={t('account.tokenName')}
            rules={[{ required: true, message: t('account.required') }]}
          >
            <Input data-testid="token-name" />
          </Form.Item>
          <Form.Item name="readOnly" valuePropName="checked">
            <Checkbox data-testid="token-read-only">{t('account.readOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="expires" label={t('account.expires')}>
            <Select<ExpiryChoice>
              data-testid="token-expires"
              options={EXPIRY_CHOICES.map((c) => ({ value: c, label: t(`account.expiry.${c}`) }))}
            />
          </Form.Item>
        </Form>
      </SecretOnceModal>
    </Card>
  );
}
