import { BranchesOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  artifactKeys,
  artifactsApi,
  useArtifactFunctions,
  useArtifacts,
  type Artifact,
  type ArtifactVersion,
} from '../../api/artifacts.ts';
import { DeleteButton } from '../../components/DeleteButton.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { SpaceSelect, spaceColumn } from '../../components/Spaces.tsx';

type ArtifactInSpace = Artifact & { space: string };
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';
import { sourceText } from '../../../../domain/artifacts/artifact.ts';
import { GitBuildForm, GitBuildProgress } from './GitBuild.tsx';

const size = (n: number) =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;

/** Jars jobs use: each artifact with its versions, uploads, deletes (refused while jobs use it), and its UDFs. */
export function ArtifactsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const artifacts = useArtifacts();
  const shown = useInPicked(artifacts.data);
  const mayIn = useMayIn();
  const mayCreate = useMayCreate();
  const [uploading, setUploading] = useState(false);
  const [buildFormOpen, setBuildFormOpen] = useState(false);
  const [builds, setBuilds] = useState<string[]>(readBuilds);
  const trackBuilds = (ids: string[]) => {
    setBuilds(ids);
    sessionStorage.setItem(BUILDS_KEY, JSON.stringify(ids));
  };
  const [functionsOf, setFunctionsOf] = useState<ArtifactVersion | null>(null);
  const remove = useMutation({
    mutationFn: (v: { name: string; version?: number }) => artifactsApi.delete(v.name, v.version),
    onSuccess: (r, v) =>
      void message.success(t('art.deleted', { name: v.name, versions: r.removedVersions.join(', ') })),
    // The refusal names the jobs and versions that use it: shown whole, in the console's language.
    onError: (e, v) =>
      void modal.error({
        title: t('art.deleteFailed', { name: v.name }),
        content: <span data-testid="artifact-delete-refusal">{e.message}</span>,
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: artifactKeys.all }),
  });
  const deleting = (name: string, version?: number) =>
    remove.isPending && remove.variables.name === name && remove.variables.version === version;

  const versionsTable = (a: ArtifactInSpace) => (
    <Table<ArtifactVersion>
      rowKey="version"
      size="small"
      data-testid={`versions-${a.name}`}
      dataSource={[...a.versions].reverse()}
      pagination={false}
      columns={[
        { title: t('art.version'), dataIndex: 'version' },
        { title: t('art.size'), dataIndex: 'sizeBytes', render: (n: number) => size(n) },
        { title: t('art.fileName'), dataIndex: 'fileName' },
        {
          title: t('art.source'),
          render: (_, v) =>
            v.source.kind === 'maven' ? (
              <Typography.Text code>{v.source.coordinates}</Typography.Text>
            ) : v.source.kind === 'git' ? (
              <Typography.Text code data-testid={`source-${v.name}-${v.version}`}>
                {sourceText(v.source)}
              </Typography.Text>
            ) : (
              t('art.sourceUpload')
            ),
        },
        { title: t('art.mainClass'), dataIndex: 'mainClass', render: (c: string | null) => c ?? '' },
        {
          title: 'sha256',
          dataIndex: 'sha256',
          render: (s: string) => (
            <Typography.Text code copyable={{ text: s }}>
              {s.slice(0, 12)}
            </Typography.Text>
          ),
        },
        { title: t('art.author'), dataIndex: 'author' },
        { title: t('art.createdAt'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
        {
          title: t('ws.actions'),
          render: (_, v) => (
            <Space>
              <Button
                size="small"
                onClick={() => setFunctionsOf(v)}
                data-testid={`functions-${v.name}-${v.version}`}
              >
                {t('art.functions')}
              </Button>
              <Link to={`/jobs/new-jar?jar=${encodeURIComponent(`${v.name}@${v.version}`)}`}>
                <Button size="small" data-testid={`job-from-${v.name}-${v.version}`}>
                  {t('jar.fromArtifact')}
                </Button>
              </Link>
              <Button size="small" href={artifactsApi.downloadUrl(v.name, v.version)}>
                {t('art.download')}
              </Button>
              {mayIn(a.space, 'change') && (
                <DeleteButton
                  confirm={t('art.confirmDeleteVersion', { name: v.name, version: v.version })}
                  onConfirm={() => remove.mutate({ name: v.name, version: v.version })}
                  loading={deleting(v.name, v.version)}
                  testId={`delete-${v.name}-${v.version}`}
                />
              )}
            </Space>
          ),
        },
      ]}
    />
  );

  let body;
  if (artifacts.isPending) body = <Loading />;
  else if (artifacts.isError)
    body = <ErrorPanel error={artifacts.error} retry={() => void artifacts.refetch()} />;
  else if (!shown.length)
    body = (
      <Empty description={t('art.empty')} data-testid="artifacts-empty">
        {mayCreate && (
          <Button type="primary" onClick={() => setUploading(true)}>
            {t('art.upload')}
          </Button>
        )}
      </Empty>
    );
  else
    body = (
      <Table<ArtifactInSpace>
        rowKey="name"
        data-testid="artifacts"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: versionsTable, expandRowByClick: false }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            sorter: (a, b) => a.name.localeCompare(b.name),
            render: (n: string) => <Typography.Text code>{n}</Typography.Text>,
          },
          { title: t('art.latest'), dataIndex: 'latestVersion', render: (v: number) => <Tag>v{v}</Tag> },
          { title: t('art.versions'), render: (_, a) => a.versions.length },
          { title: t('art.size'), render: (_, a) => size(a.versions.at(-1)!.sizeBytes) },
          { title: t('art.createdAt'), render: (_, a) => localTime(a.versions.at(-1)!.createdAt) },
          spaceColumn(t),
          {
            title: t('ws.actions'),
            render: (_, a) =>
              mayIn(a.space, 'change') && (
                <DeleteButton
                  confirm={t('art.confirmDelete', { name: a.name })}
                  onConfirm={() => remove.mutate({ name: a.name })}
                  loading={deleting(a.name)}
                  testId={`delete-${a.name}`}
                />
              ),
          },
        ]}
      />
    );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader
        title={t('art.title')}
        intro={t('art.intro')}
        action={
          mayCreate && (
            <Space>
              <Button
                icon={<BranchesOutlined />}
                onClick={() => setBuildFormOpen(true)}
                data-testid="artifact-git-build"
              >
                {t('art.git.button')}
              </Button>
              <Button
                type="primary"
                icon={<UploadOutlined />}
                onClick={() => setUploading(true)}
                data-testid="artifact-upload"
              >
                {t('art.upload')}
              </Button>
            </Space>
          )
        }
      />
      {builds.map((id) => (
        <GitBuildProgress key={id} id={id} onClose={() => trackBuilds(builds.filter((b) => b !== id))} />
      ))}
      {body}
      <GitBuildForm
        open={buildFormOpen}
        onClose={() => setBuildFormOpen(false)}
        onStarted={(id) => trackBuilds([id, ...builds.filter((b) => b !== id)])}
      />
      <UploadForm open={uploading} onClose={() => setUploading(false)} />
      {functionsOf && <FunctionsModal version={functionsOf} onClose={() => setFunctionsOf(null)} />}
    </Space>
  );
}

const BUILDS_KEY = 'sluice.artifacts.builds';

/** Builds started from this tab, shown until closed, across page changes and reloads. */
function readBuilds(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(BUILDS_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

interface UploadValues {
  file: File;
  name?: string;
  space?: string;
}

function UploadForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<UploadValues>();
  const upload = useMutation({
    mutationFn: (v: UploadValues) => artifactsApi.upload(v.file, v.name?.trim() || undefined, v.space),
    onSuccess: (v) => {
      void message.success(t('art.uploaded', { name: v.name, version: v.version }));
      void qc.invalidateQueries({ queryKey: artifactKeys.all });
      onClose();
    },
  });
  return (
    <FormModal
      name="artifact"
      open={open}
      title={t('art.uploadTitle')}
      okText={t('art.upload')}
      form={form}
      onFinish={(v) => upload.mutate(v)}
      request={upload}
      onClose={onClose}
      errorTestId="artifact-upload-error"
    >
      <Form.Item
        name="file"
        label={t('art.file')}
        rules={[{ required: true, message: t('art.fileRequired') }]}
      >
        <JarInput />
      </Form.Item>
      <Form.Item name="name" label={t('art.name')} extra={t('art.nameHelp')}>
        <Input data-testid="artifact-name" />
      </Form.Item>
      <Form.Item name="space" label={t('spaces.space')} extra={t('art.spaceHelp')}>
        <SpaceSelect testId="artifact-space" />
      </Form.Item>
    </FormModal>
  );
}

/** A file chooser as a form field: the browser keeps the chosen file, the form gets it on change. */
function JarInput({ onChange }: { value?: File; onChange?: (file: File | undefined) => void }) {
  return (
    <input
      type="file"
      accept=".jar,application/java-archive"
      data-testid="artifact-file"
      onChange={(e) => onChange?.(e.target.files?.[0])}
    />
  );
}

function FunctionsModal({ version, onClose }: { version: ArtifactVersion; onClose: () => void }) {
  const { t } = useTranslation();
  const functions = useArtifactFunctions(version.name, version.version);
  let body;
  if (functions.isPending) body = <Loading />;
  else if (functions.isError)
    body = <ErrorPanel error={functions.error} retry={() => void functions.refetch()} />;
  else if (!functions.data.functions.length) body = <Empty description={t('art.noFunctions')} />;
  else
    body = (
      <Table
        rowKey="className"
        size="small"
        data-testid="functions"
        pagination={false}
        dataSource={functions.data.functions}
        expandable={{
          defaultExpandAllRows: true,
          expandedRowRender: (f) => (
            <Space>
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {t('art.statement')}
              </Typography.Text>
              <Typography.Text code copyable data-testid={`statement-${f.name}`}>
                {f.createStatement}
              </Typography.Text>
            </Space>
          ),
        }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          { title: t('art.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{k}</Tag> },
          { title: t('art.class'), dataIndex: 'className' },
          {
            title: t('art.signatures'),
            render: (_, f) => (
              <Space orientation="vertical" size={0}>
                {f.signatures.map((s) => (
                  <Typography.Text code key={s.parameters.join(',')}>
                    ({s.parameters.join(', ')}) → {s.returns}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
        ]}
      />
    );
  return (
    <Modal
      open
      width={1000}
      title={t('art.functionsTitle', { name: version.name, version: version.version })}
      onCancel={onClose}
      footer={null}
    >
      {body}
    </Modal>
  );
}
