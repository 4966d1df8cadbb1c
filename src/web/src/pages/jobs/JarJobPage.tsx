import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Divider, Form, Input, InputNumber, Select, Space, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { DEFAULT_RESTART_POLICY } from '../../../../domain/jobs/restart-policy.ts';
import { useArtifacts } from '../../api/artifacts.ts';
import { useDefaultTarget, useTargets } from '../../api/targets.ts';
import { ApiError } from '../../api/http.ts';
import { jobKeys, jobsApi, useJob, type JobInSpace } from '../../api/jobs.ts';
import { ErrorPanel, InlineError, Loading } from '../../components/Problem.tsx';
import { Allowed, SpaceSelect } from '../../components/Spaces.tsx';
import { usableIn } from '../../models/spaces.ts';
import {
  artifactChoices,
  entryClassAfter,
  jarBody,
  jarChoicesInSpace,
  joinArgs,
  parseRef,
  refText,
  refusedField,
  type JarFormField,
} from '../../models/jar-job.ts';
import { RestartPolicyFields } from '../editor/RestartPolicyFields.tsx';
import { VersionsPanel } from './VersionsPanel.tsx';

/** A JAR job: created from an artifact version (`/jobs/new-jar?jar=name@version`), or edited as a new version. */
export default function JarJobPage() {
  const name = useParams().name;
  return name ? <ExistingJarJob name={name} /> : <JarJobForm />;
}

function ExistingJarJob({ name }: { name: string }) {
  const job = useJob(name);
  if (job.isPending) return <Loading />;
  // A failed background refetch keeps the job last read: the form and its unsaved edits stay.
  if (job.data === undefined) return <ErrorPanel error={job.error} retry={() => void job.refetch()} />;
  // A new version saved meanwhile (here or elsewhere) starts the form again from it.
  return <JarJobForm key={`${name}-${job.data.currentVersion}`} existing={job.data} />;
}

function JarJobForm({ existing }: { existing?: JobInSpace }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const artifacts = useArtifacts();
  const targets = useTargets();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  // The job's space: an existing job's own; a new one's chosen (starting with its jar's space).
  const [newSpace, setNewSpace] = useState<string | undefined>(undefined);
  const space = existing ? existing.space : newSpace;
  // Only what the job's space may name is offered: its own artifacts and targets, and every space's.
  const choices = useMemo(
    () => artifactChoices(usableIn(artifacts.data ?? [], space ?? null)),
    [artifacts.data, space],
  );
  const targetChoices = usableIn(targets.data ?? [], space ?? null);
  // A new job's empty target is its space's default; an edit that leaves it out keeps the job's.
  const defaultTarget = useDefaultTarget(existing ? null : (space ?? null));
  const givenJar = existing ? undefined : (params.get('jar') ?? undefined);
  const givenJarSpace = givenJar
    ? artifacts.data?.find((a) => a.name === parseRef(givenJar)?.name)?.space
    : undefined;
  const [jar, setJar] = useState<string | undefined>(existing?.jar ? refText(existing.jar) : givenJar);
  const [entryClass, setEntryClass] = useState(existing?.entryClass ?? '');
  const [argsText, setArgsText] = useState(joinArgs(existing?.args ?? []));
  const [classpath, setClasspath] = useState<string[]>((existing?.classpath ?? []).map(refText));
  const [target, setTarget] = useState<string | undefined>(existing?.target);
  const [parallelism, setParallelism] = useState(existing?.parallelism ?? 1);
  const [restartPolicy, setRestartPolicy] = useState(existing?.restartPolicy ?? DEFAULT_RESTART_POLICY);
  const [resubmitPolicy, setResubmitPolicy] = useState(existing?.resubmitPolicy ?? { kind: 'none' as const });
  const [versionMessage, setVersionMessage] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<JarFormField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const chosen = choices.find((c) => c.value === jar);
  // A jar chosen from the artifacts page starts with its Main-Class, once the list is there.
  const [prefilled, setPrefilled] = useState(Boolean(existing));
  if (!prefilled && chosen) {
    setPrefilled(true);
    if (!entryClass) setEntryClass(chosen.mainClass ?? '');
  }
  /** A new job moved to another space: what that space may not name is left out. */
  const moveTo = (to: string) => {
    setNewSpace(to);
    const kept = jarChoicesInSpace(
      { jar, classpath, target },
      { artifacts: artifacts.data ?? [], targets: targets.data ?? [] },
      to,
    );
    setJar(kept.jar);
    setClasspath(kept.classpath);
    setTarget(kept.target);
  };
  const engineOf = (target: string | undefined) =>
    targets.data?.find((c) => c.name === target)?.engineVersion;

  /** Whatever the user changes, the message about it goes. */
  const edited = (field: JarFormField) => {
    setFieldErrors((e) => ({ ...e, [field]: undefined }));
    setError(null);
  };
  const at = (field: JarFormField) =>
    fieldErrors[field]
      ? {
          validateStatus: 'error' as const,
          help: <span data-testid={`error-${field}`}>{fieldErrors[field]}</span>,
        }
      : {};

  const save = async () => {
    const problems: Partial<Record<JarFormField, string>> = {};
    // The name and the message are checked by the server, whose refusal lands at their field.
    const body = jarBody({ jar, entryClass, argsText, classpath });
    if (!body.ok)
      problems[body.field] =
        body.field === 'jar' ? t('jar.jarRequired') : t('jar.argsOpenQuote', { quote: body.quote });
    if (Object.keys(problems).length || !body.ok) return setFieldErrors(problems);
    const content = {
      ...body.body,
      parallelism,
      restartPolicy,
      resubmitPolicy,
      // Left out, the server keeps the job's target (or, for a new job, the default engine's cluster).
      ...(target ? { target, engineVersion: engineOf(target) } : {}),
    };
    setSaving(true);
    try {
      if (existing) {
        const v = await jobsApi.update(
          existing.name,
          existing.currentVersion,
          versionMessage.trim(),
          content,
        );
        void message.success(t('editor.saved', { n: v.number }));
        await qc.invalidateQueries({ queryKey: jobKeys.all });
        void navigate(`/jobs/${existing.name}`);
      } else {
        const j = await jobsApi.create({
          name: name.trim(),
          ...(newSpace ? { space: newSpace } : {}),
          ...content,
          message: versionMessage.trim() || 'created',
        });
        void message.success(t('editor.created', { name: j.name }));
        await qc.invalidateQueries({ queryKey: jobKeys.all });
        void navigate(`/jobs/${j.name}`);
      }
    } catch (e) {
      // A refusal about one field is shown at that field; anything else (a 409 among them) above the form.
      const field = e instanceof ApiError && e.code !== 'conflict' ? refusedField(e.details) : null;
      const nameTaken = e instanceof ApiError && e.code === 'conflict' && refusedField(e.details) === 'name';
      if (field || nameTaken) setFieldErrors({ [field ?? 'name']: (e as Error).message });
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  // Someone saved a version since this one was opened: the server says so (409), the form offers the latest.
  const conflict = error instanceof ApiError && error.code === 'conflict';
  const form = (
    <Form layout="vertical" style={{ maxWidth: 760 }} data-testid="jar-job-form">
      {!existing && (
        <Form.Item label={t('editor.name')} required {...at('name')}>
          <Input
            data-testid="jar-job-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              edited('name');
            }}
          />
        </Form.Item>
      )}
      {/* A jar given by the artifacts page: its space is known once the artifacts are read. */}
      {!existing && (!givenJar || artifacts.data) && (
        <Form.Item label={t('spaces.space')}>
          <SpaceSelect value={newSpace} onChange={moveTo} prefer={givenJarSpace} testId="jar-job-space" />
        </Form.Item>
      )}
      <Divider titlePlacement="start">{t('jar.program')}</Divider>
      <Form.Item label={t('jar.jar')} required {...at('jar')}>
        <Select
          showSearch
          data-testid="jar-select"
          loading={artifacts.isPending}
          value={jar}
          options={choices.map((c) => ({ value: c.value, label: c.value }))}
          onChange={(v: string) => {
            setEntryClass((current) =>
              entryClassAfter(
                current,
                chosen,
                choices.find((c) => c.value === v),
              ),
            );
            setJar(v);
            edited('jar');
            edited('entryClass');
          }}
        />
      </Form.Item>
      <Form.Item
        label={t('jar.entryClass')}
        extra={
          chosen &&
          (chosen.mainClass
            ? t('jar.entryClassDefault', { class: chosen.mainClass })
            : t('jar.entryClassNone'))
        }
        {...at('entryClass')}
      >
        <Input
          allowClear
          data-testid="jar-entry-class"
          placeholder={chosen?.mainClass ?? 'org.acme.MyJob'}
          value={entryClass}
          onChange={(e) => {
            setEntryClass(e.target.value);
            edited('entryClass');
          }}
        />
      </Form.Item>
      <Form.Item label={t('jar.args')} extra={t('jar.argsHelp')} {...at('args')}>
        <Input
          data-testid="jar-args"
          value={argsText}
          onChange={(e) => {
            setArgsText(e.target.value);
            edited('args');
          }}
        />
      </Form.Item>
      <Form.Item label={t('jar.classpath')} {...at('classpath')}>
        <Select
          mode="multiple"
          allowClear
          data-testid="classpath-select"
          value={classpath}
          options={choices.filter((c) => c.value !== jar).map((c) => ({ value: c.value, label: c.value }))}
          onChange={(v: string[]) => {
            setClasspath(v);
            edited('classpath');
          }}
        />
      </Form.Item>
      <Divider titlePlacement="start">{t('settings.deployment')}</Divider>
      <Space wrap size="large" align="start">
        <Form.Item
          label={t('jar.target')}
          extra={t('jar.targetHelp')}
          style={{ minWidth: 320 }}
          {...at('target')}
        >
          <Select
            allowClear
            data-testid="cluster-select"
            placeholder={
              defaultTarget
                ? t('settings.defaultTargetIn', { space, target: defaultTarget })
                : t('jar.defaultTarget')
            }
            loading={targets.isPending}
            value={target}
            onChange={(v: string | undefined) => {
              setTarget(v);
              edited('target');
            }}
            options={targetChoices.map((c) => ({
              value: c.name,
              label: `${c.name} · ${c.targetKind ?? c.kind ?? ''} · Flink ${c.engineVersion ?? c.flinkVersion}`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('editor.parallelism')} {...at('parallelism')}>
          <InputNumber
            min={1}
            max={1024}
            value={parallelism}
            data-testid="parallelism"
            onChange={(v) => {
              setParallelism(v ?? 1);
              edited('parallelism');
            }}
          />
        </Form.Item>
      </Space>
      <Divider titlePlacement="start">{t('settings.restart')}</Divider>
      <RestartPolicyFields
        restart={restartPolicy}
        resubmit={resubmitPolicy}
        onRestart={setRestartPolicy}
        onResubmit={setResubmitPolicy}
      />
      <Divider />
      <Form.Item label={t('editor.message')} required={Boolean(existing)} {...at('message')}>
        <Input
          data-testid="version-message"
          value={versionMessage}
          onChange={(e) => {
            setVersionMessage(e.target.value);
            edited('message');
          }}
        />
      </Form.Item>
      <Allowed space={space} action="change">
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-jar-job">
          {existing ? t('editor.save') : t('editor.create')}
        </Button>
      </Allowed>
    </Form>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {existing ? t('jar.editTitle', { name: existing.name }) : t('jar.new')}
      </Typography.Title>
      {error !== null && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <InlineError error={error} />
          {conflict && existing && (
            <Button
              data-testid="reload-job"
              onClick={() => void qc.invalidateQueries({ queryKey: jobKeys.one(existing.name) })}
            >
              {t('jar.reload')}
            </Button>
          )}
        </Space>
      )}
      {existing ? (
        <Tabs
          items={[
            { key: 'form', label: t('jar.edit'), children: form },
            {
              key: 'versions',
              label: t('editor.history'),
              children: <VersionsPanel name={existing.name} space={existing.space} />,
            },
          ]}
        />
      ) : (
        form
      )}
    </Space>
  );
}
