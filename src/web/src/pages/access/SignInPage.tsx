import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Divider, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { healthApi, healthKey } from '../../api/health.ts';
import { api, ApiError } from '../../api/http.ts';
import { LANGUAGES, setLanguage, type Language } from '../../i18n/index.ts';

/** Where to go after signing in: a page of the console only (never another site). */
const safeNext = (next: string | null) =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/jobs';

/** The console's sign-in: a name and a password give a session cookie; then back to the page that asked. */
export function SignInPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // OpenID Connect sign-in, when the server has a provider (health says so, without naming where).
  const oidc = useQuery({ queryKey: healthKey, queryFn: healthApi.get, select: (h) => h.oidc });
  const submit = async (v: { name: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.access.signIn(v.name, v.password);
      // A new user: whatever the queries knew of the previous one is stale.
      window.location.assign(safeNext(params.get('next')));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 120 }}>
      <Card style={{ width: 380 }} data-testid="sign-in">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('auth.title')}
            </Typography.Title>
            <Select<Language>
              aria-label={t('common.language')}
              value={i18n.language as Language}
              onChange={setLanguage}
              options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              style={{ width: 110 }}
            />
          </Space>
          {error && <Alert type="error" showIcon message={error} data-testid="sign-in-error" />}
          {oidc.data && (
            <>
              {/* A navigation, not a fetch: the provider's sign-in page is another site. */}
              <Button
                block
                href={`/api/v1/auth/oidc/start?next=${encodeURIComponent(safeNext(params.get('next')))}`}
                data-testid="sign-in-oidc"
              >
                {t('auth.signInWith', { name: oidc.data.name })}
              </Button>
              <Divider plain style={{ margin: '4px 0' }}>
                {t('auth.or')}
              </Divider>
            </>
          )}
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item
              name="name"
              label={t('auth.name')}
              rules={[{ required: true, message: t('auth.required') }]}
            >
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.required') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
              {t('auth.signIn')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}

/** The signed-in user's name, where it signs in (local, LDAP or OIDC), and the sign-out button, for the header. */
export function SignedInUser({ name, source }: { name: string; source: 'local' | 'ldap' | 'oidc' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space>
      {/* The user's own page: its password and API tokens. */}
      <Link to="/account" title={t('nav.account')}>
        <Typography.Text style={{ color: '#fff', whiteSpace: 'nowrap' }} data-testid="signed-in-user">
          {name}
        </Typography.Text>
      </Link>
      <Tag data-testid="signed-in-source" title={t(`auth.sourceHint.${source}`)}>
        {t(`auth.source.${source}`)}
      </Tag>
      <Button
        size="small"
        data-testid="sign-out"
        onClick={async () => {
          await api.access.signOut().catch(() => undefined);
          navigate('/sign-in');
        }}
      >
        {t('auth.signOut')}
      </Button>
    </Space>
  );
}
