import { App, Button, Input, Modal, Space, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useBlocker, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { jobsApi, useJob } from '../../api/jobs.ts';
import { sqlApi, useExamples, type PlannerReport, type SqlExample, type SqlProblem } from '../../api/sql.ts';
import { ExampleGallery } from '../../components/ExampleGallery.tsx';
import { Allowed, SpaceSelect } from '../../components/Spaces.tsx';
import { useDefaultTarget, useTargets } from '../../api/targets.ts';
import { useCatalogs } from '../../api/workspace.ts';
import { choicesInSpace } from '../../models/spaces.ts';
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { SqlEditor, type SqlEditorHandle } from '../../components/SqlEditor.tsx';
import { workspaceApi } from '../../api/workspace.ts';
import { setCompletionCatalog } from '../../editor/monaco-setup.ts';
import { databasesToRead, type CatalogTable } from '../../models/sql-completion.ts';
import { qualifiedName } from '../../models/qualified-name.ts';
import { joinOptions, splitOptions } from '../../models/job-settings.ts';
import { VersionsPanel } from '../jobs/VersionsPanel.tsx';
import { DebugPanel } from './DebugPanel.tsx';
import { EngineChange } from './EngineChange.tsx';
import { LineagePanel } from './LineagePanel.tsx';
import { ProblemsList } from './ProblemsList.tsx';
import { SettingsPanel, type JobSettings } from './SettingsPanel.tsx';
import { DEFAULT_RESTART_POLICY } from '../../../../domain/jobs/restart-policy.ts';

/** Writing a job: the SQL with live checks, the planner, debug runs, lineage, options, versions. */
export default function JobEditorPage() {
  const name = useParams().name;
  // A new job has nothing to read: asking for it would be GET /jobs/ (a 400).
  return name ? <JobEditor name={name} /> : <Editor />;
}

function JobEditor({ name }: { name: string }) {
  const job = useJob(name);
  if (job.isPending) return <Loading />;
  // A failed background refetch keeps the job last read: the form and its unsaved edits stay.
  if (job.data === undefined) return <ErrorPanel error={job.error} retry={() => void job.refetch()} />;
  // A JAR job has no SQL to edit: its form edits the jar, entry class, arguments and classpath.
  if (job.data.kind === 'jar') return <Navigate to={`/jobs/${name}/edit-jar`} replace />;
  return <Editor key={`${name}-${job.data.currentVersion}`} existing={job.data} />;
}

function Editor({ existing }: { existing?: NonNullable<ReturnType<typeof useJob>['data']> }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const examples = useExamples();
  const [name, setName] = useState(existing?.name ?? '');
  // A new job's space: the picked one where the user may change things (SpaceSelect starts it).
  const [newSpace, setNewSpace] = useState<string | undefined>(undefined);
  const space = existing ? existing.space : newSpace;
  const targetList = useTargets();
  const catalogList = useCatalogs();
  const [sql, setSql] = useState(existing?.sql ?? '');
  const initialSettings = (): JobSettings => ({
    target: existing?.target,
    engineVersion: existing?.engineVersion,
    parallelism: existing?.parallelism ?? 1,
    restartPolicy: existing?.restartPolicy ?? DEFAULT_RESTART_POLICY,
    resubmitPolicy: existing?.resubmitPolicy ?? { kind: 'none' },
    catalogs: existing?.catalogs ?? [],
    options: splitOptions(existing?.options ?? {}),
  });
  const [settings, setSettings] = useState<JobSettings>(initialSettings);
  // A new job's empty target is its space's default; an edit that leaves it out keeps the job's.
  const defaultTarget = useDefaultTarget(existing ? null : (space ?? null), settings.engineVersion);
  const { catalogs, target } = settings;
  /** A new job moved to another space: another space's target and catalogs are left out of its settings. */
  const moveTo = (to: string) => {
    setNewSpace(to);
    setSettings((s) => {
      const kept = choicesInSpace(
        s,
        { targets: targetList.data ?? [], catalogs: catalogList.data ?? [] },
        to,
      );
      if (kept.target === s.target && kept.catalogs.length === s.catalogs.length) return s;
      return { ...s, ...kept, engineVersion: kept.target ? s.engineVersion : undefined };
    });
  };
  // The planner check and debug runs see the job's UDFs: the artifacts of the version being edited.
  const jobArtifacts = useMemo(
    () => (existing?.artifacts ?? []).map((a) => `${a.name}@${a.version}`),
    [existing],
  );
  const [syntax, setSyntax] = useState<SqlProblem[]>([]);
  const [planner, setPlanner] = useState<PlannerReport | null>(null);
  const [planning, setPlanning] = useState(false);
  const [tab, setTab] = useState('problems');
  const [saveOpen, setSaveOpen] = useState(false);
  const [saveMessage, setSaveMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const editor = useRef<SqlEditorHandle>(null);

  // What leaving would lose: the SQL or the settings as they were saved (or as the example gave them).
  const saved = useRef({
    sql: existing?.sql ?? '',
    settings: JSON.stringify(initialSettings()),
    example: '',
  });
  const dirty = sql !== saved.current.sql || JSON.stringify(settings) !== saved.current.settings;
  const leaving = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  const pending = useRef(blocker);
  pending.current = blocker;
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('editor.leave.title'),
      content: t('editor.leave.text'),
      okText: t('editor.leave.ok'),
      okButtonProps: { danger: true, id: 'confirm-leave' },
      cancelText: t('editor.leave.stay'),
      onOk: () => pending.current.proceed?.(),
      onCancel: () => pending.current.reset?.(),
    });
    // One question per blocked navigation.
  }, [blocker.state]);
  // Closing or reloading the tab: the browser asks with its own words.
  useEffect(() => {
    if (!dirty) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  const applyExample = (e: Pick<SqlExample, 'name' | 'sql'>) => {
    setSql(e.sql);
    // The example's name, unless the user named the job already.
    const previous = saved.current.example;
    setName((n) => (!n || n === previous ? e.name : n));
    saved.current = { ...saved.current, sql: e.sql, example: e.name };
  };
  const chooseExample = (e: SqlExample) => {
    setGalleryOpen(false);
    if (sql === saved.current.sql) return applyExample(e);
    modal.confirm({
      title: t('examples.replace.title'),
      content: t('examples.replace.text', { title: e.title }),
      okButtonProps: { id: 'confirm-replace' },
      onOk: () => applyExample(e),
    });
  };
  // /jobs/new?example=name, from the gallery: the editor opens filled with that example.
  const [params, setParams] = useSearchParams();
  const wanted = existing ? null : params.get('example');
  useEffect(() => {
    if (!wanted || !examples.data) return;
    const e = examples.data.find((x) => x.name === wanted);
    if (e) applyExample(e);
    else setError(new Error(t('examples.unknown', { name: wanted })));
    setParams({}, { replace: true });
    // Once per example asked for; applyExample only sets state.
  }, [wanted, examples.data]);
  // Opened with a statement to start from (the Kafka page's "new job from this table"): the editor
  // starts filled with it as with an example, and the history entry forgets it (a reload starts empty).
  const location = useLocation();
  const given = existing
    ? null
    : (location.state as { newJob?: { name: string; sql: string } } | null)?.newJob;
  useEffect(() => {
    if (!given) return;
    applyExample(given);
    void navigate(location.pathname, { replace: true, state: null });
    // Once per statement handed over.
  }, [given]);

  // The grammar as the user types: a quarter second after the last keystroke. An answer for text
  // typed over since is dropped: arriving after the newer one, it would show stale problems.
  useEffect(() => {
    if (!sql.trim()) return setSyntax([]);
    let current = true;
    const timer = setTimeout(() => {
      // Judged in the job's space: its variables, and the folders its files may be in.
      sqlApi.validate(sql, existing?.space ?? space).then(
        (r) => current && setSyntax(r.problems),
        (e: Error) => current && setError(e),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [sql, space]);
  useEffect(() => setPlanner(null), [sql]);

  // Completion offers the tables of the chosen catalogs, read through the engine once per choice (each
  // database's as soon as it is listed), and a table's columns once a statement uses it.
  useEffect(() => {
    let live = true;
    const tables: CatalogTable[] = [];
    const offer = () =>
      live &&
      setCompletionCatalog({
        tables: [...tables],
        columns: async ({ parts: [c, db, t] }) =>
          (await workspaceApi.columns(c!, db!, t!, target)).map((col) => ({
            name: col.name,
            type: col.type,
          })),
      });
    offer();
    void (async () => {
      const definitions = catalogs.length ? await workspaceApi.catalogs().catch(() => []) : [];
      for (const c of catalogs) {
        const dbs = await workspaceApi.databases(c, target).catch(() => [] as string[]);
        const main = definitions.find((d) => d.name === c)?.options['default-database'];
        for (const db of databasesToRead(dbs, main)) {
          for (const t of await workspaceApi.tables(c, db, target).catch(() => [] as string[]))
            tables.push({ qualified: qualifiedName([c, db, t]), parts: [c, db, t] });
          offer();
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [catalogs, target]);

  const problems = useMemo(() => [...syntax, ...(planner?.problems ?? [])], [syntax, planner]);
  const options = joinOptions(settings.options);

  const plan = async () => {
    setPlanning(true);
    setTab('plan');
    try {
      setPlanner(await sqlApi.explain(sql, target, catalogs, jobArtifacts, space));
    } catch (e) {
      setError(e);
    } finally {
      setPlanning(false);
    }
  };

  // A draft may be saved with errors; it cannot start until they are fixed, and is told so.
  const savedWithErrors = (count: number) =>
    count > 0 && void message.warning(t('editor.savedWithErrors', { count }), 8);

  const save = async () => {
    try {
      if (!options.ok) {
        setTab('options');
        throw new Error(options.error);
      }
      const content = {
        sql,
        parallelism: settings.parallelism,
        options: options.options,
        catalogs,
        restartPolicy: settings.restartPolicy,
        resubmitPolicy: settings.resubmitPolicy,
        // Left out, the server keeps the job's target (or, for a new job, the default engine's cluster).
        ...(target ? { target, engineVersion: settings.engineVersion } : {}),
      };
      if (existing) {
        const v = await jobsApi.update(
          existing.name,
          existing.currentVersion,
          saveMessage || 'edited in the console',
          content,
        );
        void message.success(t('editor.saved', { n: v.number }));
        savedWithErrors(v.warnings.length);
        setSaveOpen(false);
        leaving.current = true;
        void navigate(`/jobs/${existing.name}`);
      } else {
        const j = await jobsApi.create({
          name,
          ...content,
          ...(newSpace ? { space: newSpace } : {}),
          message: saveMessage || 'created',
        });
        void message.success(t('editor.created', { name: j.name }));
        savedWithErrors(j.warnings.length);
        leaving.current = true;
        void navigate(`/jobs/${j.name}`);
      }
    } catch (e) {
      setSaveOpen(false);
      setError(e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {existing ? existing.name : t('editor.new')}
          </Typography.Title>
          {dirty && (
            <Tag color="orange" data-testid="unsaved">
              {t('editor.unsaved')}
            </Tag>
          )}
          {!existing && (
            <>
              <Input
                placeholder={t('editor.name')}
                aria-label={t('editor.name')}
                data-testid="job-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                style={{ width: 220 }}
              />
              <SpaceSelect value={newSpace} onChange={moveTo} testId="job-space" />
              <Button onClick={() => setGalleryOpen(true)} data-testid="example-gallery-open">
                {t('editor.example')}
              </Button>
            </>
          )}
        </Space>
        <Space wrap>
          {/* A planner run is a run; saving a change: only as the user's role in the job's space allows. */}
          <Allowed space={space} action="run">
            <Button onClick={() => void plan()} loading={planning} data-testid="validate">
              {t('editor.validate')}
            </Button>
          </Allowed>
          <Allowed space={space} action="change">
            <Button type="primary" onClick={() => setSaveOpen(true)} data-testid="save">
              {existing ? t('editor.save') : t('editor.create')}
            </Button>
          </Allowed>
        </Space>
      </Space>
      {error !== null && (
        <div onClick={() => setError(null)}>
          <InlineError error={error} />
        </div>
      )}
      {existing && settings.engineVersion && settings.engineVersion !== existing.engineVersion && (
        <EngineChange
          from={existing.engineVersion}
          to={settings.engineVersion}
          sql={sql}
          options={options.ok ? options.options : existing.options}
          onApply={(rewritten) => {
            setSql(rewritten.sql);
            setSettings((s) => ({ ...s, options: splitOptions(rewritten.options) }));
            void message.success(t('editor.engineChange.applied', { to: settings.engineVersion }));
          }}
        />
      )}
      <SqlEditor value={sql} onChange={setSql} problems={problems} handle={editor} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'problems',
            label: `${t('editor.problems')} (${problems.filter((p) => p.severity === 'error').length})`,
            children: (
              <ProblemsList problems={problems} onSelect={(p) => editor.current?.goTo(p.line, p.column)} />
            ),
          },
          {
            key: 'plan',
            label: t('editor.plan'),
            children: planning ? (
              <Loading />
            ) : planner ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                {planner.ok && <Typography.Text type="success">{t('editor.planOk')}</Typography.Text>}
                {planner.plans.map((p) => (
                  <pre
                    key={p.line}
                    data-testid="plan"
                    style={{ fontSize: 12, background: '#fafafa', padding: 8 }}
                  >
                    {`-- line ${p.line}: ${p.statement}\n${p.plan}`}
                  </pre>
                ))}
              </Space>
            ) : null,
          },
          {
            key: 'debug',
            label: t('editor.debug'),
            children: (
              <DebugPanel
                sql={sql}
                target={target}
                catalogs={catalogs}
                artifacts={jobArtifacts}
                space={space}
              />
            ),
          },
          { key: 'lineage', label: t('editor.lineage'), children: <LineagePanel sql={sql} space={space} /> },
          {
            key: 'options',
            label: (
              <span data-testid="options-tab">
                {t('editor.options')} {!options.ok && <Typography.Text type="danger">●</Typography.Text>}
              </span>
            ),
            children: (
              <SettingsPanel
                value={settings}
                onChange={(update) => {
                  setSettings(update);
                  setError(null); // the message was about what the user is now changing
                }}
                joined={options}
                space={space ?? null}
                defaultTarget={defaultTarget}
              />
            ),
          },
          ...(existing
            ? [
                {
                  key: 'versions',
                  label: t('editor.history'),
                  children: <VersionsPanel name={existing.name} space={existing.space} />,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={galleryOpen}
        title={t('examples.title')}
        width={1000}
        footer={null}
        onCancel={() => setGalleryOpen(false)}
        destroyOnHidden
      >
        <ExampleGallery onChoose={chooseExample} />
      </Modal>
      <Modal
        open={saveOpen}
        title={existing ? t('editor.save') : t('editor.create')}
        onCancel={() => setSaveOpen(false)}
        onOk={() => void save()}
        okButtonProps={{ id: 'confirm-save' }}
      >
        <Input
          placeholder={t('editor.message')}
          aria-label={t('editor.message')}
          data-testid="save-message"
          value={saveMessage}
          onChange={(e) => setSaveMessage(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
