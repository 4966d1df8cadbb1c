import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { artifactKeys, artifactsApi, type ArtifactVersion } from '../../api/artifacts.ts';
import { useOperation, type Operation } from '../../api/engines.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { SpaceSelect } from '../../components/Spaces.tsx';
import { currentStep, gitBuildBody, type GitBuildValues } from '../../models/git-build.ts';
import { OperationCard, OperationFailure } from './OperationProgress.tsx';

/** The optional parts of a build from git that name a place in the repository, each with an example. */
const OPTIONAL = [
  ['ref', 'main'],
  ['module', 'jobs/counter'],
  ['jar', '*-shaded.jar'],
] as const;

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
  const [form] = Form.useForm<GitBuildValues>();
  const start = useMutation({
    mutationFn: (v: GitBuildValues) => artifactsApi.build(gitBuildBody(v)),
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
      {OPTIONAL.map(([k, placeholder]) => (
        <Form.Item key={k} name={k} label={t(`art.git.${k}`)} extra={t(`art.git.${k}Help`)}>
          <Input data-testid={`git-build-${k}`} placeholder={placeholder} />
        </Form.Item>
      ))}
      <Form.Item name="name" label={t('art.name')} extra={t('art.git.nameHelp')}>
        <Input data-testid="git-build-name" />
      </Form.Item>
      <Form.Item name="space" label={t('spaces.space')} extra={t('art.spaceHelp')}>
        <SpaceSelect testId="git-build-space" />
      </Form.Item>
    </FormModal>
  );
}

/** A build followed to its end: its step, its whole log as it comes, then the stored version or the failure. */
export function GitBuildProgress({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const op = useOperation(id);
  const status = op.data?.status;
  useEffect(() => {
    if (status === 'succeeded') void qc.invalidateQueries({ queryKey: artifactKeys.all });
  }, [status, qc]);
  return (
    <OperationCard
      op={op}
      title={(o) => t('art.git.building', { subject: o.subject })}
      afterStatus={(o) => {
        const step = currentStep(o.lines);
        return (
          step && (
            <Tag data-testid="git-build-step">{t('art.git.step', { step: t(`art.git.steps.${step}`) })}</Tag>
          )
        );
      }}
      onClose={{ close: onClose, testId: 'git-build-close' }}
      testId={() => 'git-build'}
      statusTestId="git-build-status"
    >
      {(o) => <GitBuildLog o={o} />}
    </OperationCard>
  );
}

/** A build's whole log, then its stored version or why it failed. */
function GitBuildLog({ o }: { o: Operation }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLPreElement>(null);
  const lineCount = o.lines.length;
  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [lineCount]);
  const stored = o.status === 'succeeded' ? (o.result as ArtifactVersion) : null;
  return (
    <>
      <Typography.Text type="secondary">{t('art.git.log', { lines: o.lines.length })}</Typography.Text>
      <pre
        ref={scroller}
        data-testid="git-build-log"
        style={{ maxHeight: 320, overflow: 'auto', fontSize: 12, margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
      >
        {o.lines.map((l) => l.text).join('\n')}
      </pre>
      {o.status === 'failed' && (
        <OperationFailure o={o} testId="git-build-failure" style={{ whiteSpace: 'pre-wrap' }} />
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
    </>
  );
}
