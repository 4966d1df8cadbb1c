import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Alert, App as AntApp, ConfigProvider, Layout, Menu, Select, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createBrowserRouter,
  Link,
  Navigate,
  Route,
  RouterProvider,
  Routes,
  useLocation,
} from 'react-router';
import { usePlatformEvents } from '../api/events.ts';
import { useServerWarnings } from '../api/health.ts';
import { ApiError } from '../api/http.ts';
import { useMe } from '../api/spaces.ts';
import { SpacePicker } from '../components/Spaces.tsx';
import { SpacesPage } from '../pages/access/SpacesPage.tsx';
import { AccountPage } from '../pages/access/AccountPage.tsx';
import { UsersPage } from '../pages/access/UsersPage.tsx';
import { SignedInUser, SignInPage } from '../pages/access/SignInPage.tsx';
import { Loading } from '../components/Problem.tsx';
import { LANGUAGES, setLanguage, type Language } from '../i18n/index.ts';
import { messageText } from '../models/message-text.ts';
import { JobsPage } from '../pages/jobs/JobsPage.tsx';
import { JobDetailPage } from '../pages/jobs/JobDetailPage.tsx';
import JarJobPage from '../pages/jobs/JarJobPage.tsx';
import { WORKSPACE_ROUTES } from '../pages/workspace/routes.tsx';
import { AuditPage } from '../pages/audit/AuditPage.tsx';
import { motionSettings, useReducedMotion } from './reduced-motion.ts';

// The editor page carries Monaco (several MB): it loads only when opened.
const JobEditorPage = lazy(() => import('../pages/editor/JobEditorPage.tsx'));
const ExamplesPage = lazy(() => import('../pages/jobs/ExamplesPage.tsx'));

/** Any 401 of the API (no session, or it ended): to the sign-in page, and back here after. */
const toSignIn = (e: unknown) => {
  if (!(e instanceof ApiError) || e.status !== 401 || window.location.pathname === '/sign-in') return;
  const here = window.location.pathname + window.location.search;
  void router.navigate(`/sign-in?next=${encodeURIComponent(here)}`);
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: toSignIn }),
  mutationCache: new MutationCache({ onError: toSignIn }),
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a dropped connection may.
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Shell() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  usePlatformEvents();
  const warnings = useServerWarnings().data ?? [];
  const me = useMe();
  const section = '/' + (location.pathname.split('/')[1] ?? 'jobs');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* Narrow padding and no wrapping: the menu, the user with its source and the language fit 1280 px. */}
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, padding: '0 16px' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          Sluice
        </Typography.Title>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[section]}
          style={{ flex: 1 }}
          items={[
            { key: '/jobs', label: <Link to="/jobs">{t('nav.jobs')}</Link> },
            ...WORKSPACE_ROUTES.map((r) => ({ key: r.path, label: <Link to={r.path}>{t(r.label)}</Link> })),
            { key: '/spaces', label: <Link to="/spaces">{t('nav.spaces')}</Link> },
            // Users are the platform admins' (403 for others): the others are not shown the page.
            ...(me.data?.admin ? [{ key: '/users', label: <Link to="/users">{t('nav.users')}</Link> }] : []),
            // Platform admins and the owners of a space read the audit log: the others are not shown its page.
            ...(me.data?.admin || me.data?.spaces.some((m) => m.role === 'owner')
              ? [{ key: '/audit', label: <Link to="/audit">{t('nav.audit')}</Link> }]
              : []),
          ]}
        />
        <Space>
          <SpacePicker />
          {me.data && <SignedInUser name={me.data.name} source={me.data.source} />}
          <Select<Language>
            aria-label={t('common.language')}
            data-testid="language"
            value={i18n.language as Language}
            onChange={setLanguage}
            options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
            style={{ width: 120 }}
          />
        </Space>
      </Layout.Header>
      {warnings.map((w) => (
        <Alert key={w.code} data-testid="server-warning" type="warning" banner message={messageText(t, w)} />
      ))}
      <Layout.Content style={{ padding: 24 }}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Navigate to="/jobs" replace />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/jobs/new" element={<JobEditorPage />} />
            <Route path="/jobs/new-jar" element={<JarJobPage />} />
            <Route path="/jobs/:name" element={<JobDetailPage />} />
            <Route path="/jobs/:name/edit" element={<JobEditorPage />} />
            <Route path="/jobs/:name/edit-jar" element={<JarJobPage />} />
            <Route path="/examples" element={<ExamplesPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="/spaces" element={<SpacesPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="/users" element={<UsersPage />} />
            {WORKSPACE_ROUTES.map((r) => (
              <Route key={r.path} path={`${r.path}/*`} element={r.element} />
            ))}
            <Route path="*" element={<Navigate to="/jobs" replace />} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

// A data router, so that the editor can hold a navigation while its changes are unsaved (useBlocker);
// the shell keeps its own <Routes>.
const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '*', element: <Shell /> },
]);

export function App() {
  const { i18n } = useTranslation();
  const reducedMotion = useReducedMotion();
  return (
    <ConfigProvider locale={i18n.language === 'zh-CN' ? zhCN : enUS} {...motionSettings(reducedMotion)}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
