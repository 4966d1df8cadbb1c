import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { artifactKeys, artifactsApi, type ArtifactVersion, type GitBuildBody } from '../../api/artifacts.ts';
import { useOperation, type Operation } from '../../api/engines.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { localClock } from '../../i18n/index.ts';
import { errorText } from '../../models/message-text.ts';
import { currentStep } from '../../models/git-build.ts';

const STATUS_COLOR: Record<Operation['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

interface BuildValues {
  url: string;
  ref?: string;
  module?: string;
  jar?: string;
  name?: string;
}

/** The "Build from git" form: starts the build and hands its operation id on; the modal closes. */
export function GitBuildForm({
  open,
  onClose,
  onStarted,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (operationId: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BuildValues>();
  const start = useMutation({
    mutationFn: (v: BuildValues) => {
      const body: GitBuildBody = { url: v.url.trim() };
      for (const k of ['ref', 'module', 'jar', 'name'] as const) {
        const value = v[k]?.trim();
        if (value) body[k] = value;
      }
      return artifactsApi.build(body);
    },
    onSuccess: (op) => {
      onStarted(op.id);
      onClose();
    },
  });
  return (
    <FormModal
      name="git-build"
      open={open}
      width={640}
      title={t('art.git.title')}
      okText={t('art.git.start')}
      intro={<Typography.Paragraph type="secondary">{t('art.git.intro')}</Typography.Paragraph>}
      form={form}
      onFinish={(v) => start.mutate(v)}
      request={start}
      onClose={onClose}
      errorTestId="git-build-error"
    >
      <Form.Item
        name="url"
        label={t('art.git.url')}
        extra={t('art.git.urlHelp')}
        rules={[{ required: true, message: t('art.git.urlRequired') }]}
      >
        <Input data-testid="git-build-url" placeholder="https://github.com/team/jobs.git" />
      </Form.Item>
      <Form.Item name="ref" label={t('art.git.ref')} extra={t('art.git.refHelp')}>
        <Input data-testid="git-build-ref" placeholder="main" />
      </Form.Item>
      <Form.Item name="module" label={t('art.git.module')} extra={t('art.git.moduleHelp')}>
        <Input data-testid="git-build-module" placeholder="jobs/counter" />
      </Form.Item>
      <Form.Item name="jar" label={t('art.git.jar')} extra={t('art.git.jarHelp')}>
        <Input data-testid="git-build-jar" placeholder="*-shaded.jar" />
      </Form.Item>
      <Form.Item name="name" label={t('art.name')} extra={t('art.git.nameHelp')}>
        <Input data-testid="git-build-name" />
      </Form.Item>
    </FormModal>
  );
}

/** A build followed to its end: its step, its whole log as it comes, then the stored version or the failure. */
export function GitBuildProgress({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const op = useOperation(id);
  const scroller = useRef<HTMLPreElement>(null);
  const data = op.data;
  const lineCount = data?.lines.length ?? 0;
  const ended = !!data && data.status !== 'running';
  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [lineCount]);
  useEffect(() => {
    if (data?.status === 'succeeded') void qc.invalidateQueries({ queryKey: artifactKeys.all });
  }, [data?.status, qc]);

  const close = (ended || op.isError) && (
    <Button size="small" onClick={onClose} data-testid="git-build-close">
      {t('ws.op.close')}
    </Button>
  );
  if (op.isPending)
    return (
      <Card size="small">
        <Loading />
      </Card>
    );
  if (op.isError)
    return (
      <Card size="small" extra={close}>
        <InlineError error={op.error} />
      </Card>
    );
  const o = op.data;
  const step = currentStep(o.lines);
  const stored = o.status === 'succeeded' ? (o.result as ArtifactVersion) : null;
  return (
    <Card
      size="small"
      data-testid="git-build"
      title={
        <Space>
          {t('art.git.building', { subject: o.subject })}
          <Tag color={STATUS_COLOR[o.status]} data-testid="git-build-status">
            {t(`ws.op.status.${o.status}`)}
          </Tag>
          {step && (
            <Tag data-testid="git-build-step">{t('art.git.step', { step: t(`art.git.steps.${step}`) })}</Tag>
          )}
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">
            {t('ws.op.startedAt', { at: localClock(o.startedAt) })}
          </Typography.Text>
          {close}
        </Space>
      }
    >
      <Typography.Text type="secondary">{t('art.git.log', { lines: o.lines.length })}</Typography.Text>
      <pre
        ref={scroller}
        data-testid="git-build-log"
        style={{ maxHeight: 320, overflow: 'auto', fontSize: 12, margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
      >
        {o.lines.map((l) => l.text).join('\n')}
      </pre>
      {o.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={o.error ? errorText(t, o.error) : t('ws.op.failed')}
          data-testid="git-build-failure"
          style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}
        />
      )}
      {stored && (
        <Alert
          type="success"
          showIcon
          data-testid="git-build-stored"
          title={t('art.uploaded', { name: stored.name, version: stored.version })}
          style={{ marginTop: 8 }}
        />
      )}
    </Card>
  );
}
