import { Alert, App, Button, Checkbox, Input, Modal, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { StartParams as SubmissionParams } from '../../../../contract/jobs.ts';
import { jobsApi, useJobMutation, type JobView } from '../../api/jobs.ts';
import type { Message } from '../../../../domain/messages.ts';
import { availableActions } from '../../models/job-state.ts';
import { messageText } from '../../models/message-text.ts';
import { StartModal } from './StartModal.tsx';
import { useWho } from '../../api/spaces.ts';
import { mayIn } from '../../models/spaces.ts';

/**
 * Start (with the state it restores), stop (with the savepoint choice), upgrade, cancel, copy and
 * delete, each confirmed first, as the user's role in the job's space allows. A button is enabled exactly when the server would take the command;
 * a disabled one says why.
 */
export function JobActions({
  job,
  compact = false,
}: {
  job: JobView & { space: string };
  compact?: boolean;
}) {
  const { t } = useTranslation();
  // Only what the user's role in the job's space allows is offered (a viewer sees none of these).
  const who = useWho();
  const mayRun = !!who && mayIn(who, job.space, 'run');
  const mayChange = !!who && mayIn(who, job.space, 'change');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = availableActions(job);
  const [startOpen, setStartOpen] = useState(false);
  const [stopOpen, setStopOpen] = useState(false);
  const [withSavepoint, setWithSavepoint] = useState(true);
  const [drain, setDrain] = useState(false);
  const [copyOpen, setCopyOpen] = useState(false);
  const [copyName, setCopyName] = useState(`${job.name}-copy`);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [keepSavepoints, setKeepSavepoints] = useState(false);
  const report = (kind: string) => () =>
    void message.info(t('submission.sent', { kind: t(`submission.kind.${kind}`), name: job.name }));
  const fail = (e: Error) => void message.error(e.message);
  const start = useJobMutation((params: SubmissionParams) => jobsApi.start(job.name, params));
  const stop = useJobMutation(() => jobsApi.stop(job.name, withSavepoint, drain));
  const cancel = useJobMutation(() => jobsApi.cancel(job.name));
  const upgrade = useJobMutation(() => jobsApi.upgrade(job.name));
  const copy = useJobMutation(() => jobsApi.copy(job.name, copyName));
  const remove = useJobMutation(() => jobsApi.remove(job.name, keepSavepoints));
  const size = compact ? 'small' : 'middle';
  /** A button that is disabled with the server's reason as its tooltip. */
  const why = (a: { allowed: boolean; why: Message | null }, button: React.ReactNode) =>
    a.allowed || !a.why ? button : <Tooltip title={messageText(t, a.why)}>{button}</Tooltip>;
  // A start or upgrade refused (the target's quota, a per-job range) stays said beside the buttons.
  const refused = start.error ?? upgrade.error;
  return (
    <Space wrap>
      {refused && (
        <Alert
          type="error"
          showIcon
          closable
          title={refused.message}
          onClose={() => (start.error ? start.reset() : upgrade.reset())}
          data-testid="action-refused"
        />
      )}
      {mayRun && (
        <>
          {why(
            can.start,
            <Button
              size={size}
              type="primary"
              disabled={!can.start.allowed}
              onClick={() => setStartOpen(true)}
              data-testid="action-start"
            >
              {t('action.start')}
            </Button>,
          )}
          {startOpen && (
            <StartModal
              name={job.name}
              open={startOpen}
              onClose={() => setStartOpen(false)}
              onStart={(params) => start.mutate(params, { onSuccess: report('start'), onError: fail })}
            />
          )}
          {why(
            can.stop,
            <Button
              size={size}
              disabled={!can.stop.allowed}
              onClick={() => setStopOpen(true)}
              data-testid="action-stop"
            >
              {t('action.stop')}
            </Button>,
          )}
          <Modal
            open={stopOpen}
            title={t('confirm.stop', { name: job.name })}
            okText={t('action.stop')}
            okButtonProps={{ id: 'confirm-stop' }}
            onCancel={() => setStopOpen(false)}
            onOk={() => {
              setStopOpen(false);
              stop.mutate(undefined, { onSuccess: report('stop'), onError: fail });
            }}
          >
            <Space direction="vertical">
              <Checkbox checked={withSavepoint} onChange={(e) => setWithSavepoint(e.target.checked)}>
                {t('stop.withSavepoint')}
              </Checkbox>
              <Checkbox
                checked={drain}
                disabled={!withSavepoint}
                onChange={(e) => setDrain(e.target.checked)}
              >
                {t('stop.drain')}
              </Checkbox>
            </Space>
          </Modal>
          {/* One button: stop with a savepoint, then the newest version from it. */}
          {!compact &&
            why(
              can.upgrade,
              <Popconfirm
                title={t('upgrade.confirm', { name: job.name, version: job.currentVersion })}
                onConfirm={() => upgrade.mutate(undefined, { onSuccess: report('upgrade'), onError: fail })}
                disabled={!can.upgrade.allowed}
                okButtonProps={{ id: 'confirm-upgrade' }}
              >
                <Button
                  size={size}
                  type={job.needsDeploy && can.upgrade.allowed ? 'primary' : 'default'}
                  disabled={!can.upgrade.allowed}
                  data-testid="action-upgrade"
                >
                  {t('upgrade.action', { version: job.currentVersion })}
                </Button>
              </Popconfirm>,
            )}
          {why(
            can.cancel,
            <Popconfirm
              title={t('confirm.cancel', { name: job.name })}
              onConfirm={() => cancel.mutate(undefined, { onSuccess: report('cancel'), onError: fail })}
              disabled={!can.cancel.allowed}
            >
              <Button size={size} danger disabled={!can.cancel.allowed}>
                {t('action.cancel')}
              </Button>
            </Popconfirm>,
          )}
        </>
      )}
      {mayChange && (
        <>
          <Button size={size} onClick={() => setCopyOpen(true)}>
            {t('action.copy')}
          </Button>
          <Modal
            open={copyOpen}
            title={t('action.copy')}
            onCancel={() => setCopyOpen(false)}
            onOk={() =>
              copy.mutate(undefined, {
                onSuccess: (j) => {
                  setCopyOpen(false);
                  void navigate(`/jobs/${j.name}`);
                },
                onError: fail,
              })
            }
          >
            <Input
              aria-label={t('copy.newName')}
              value={copyName}
              onChange={(e) => setCopyName(e.target.value)}
            />
          </Modal>
          {why(
            can.delete,
            <Button
              size={size}
              danger
              type="text"
              disabled={!can.delete.allowed}
              onClick={() => setDeleteOpen(true)}
              data-testid="action-delete"
            >
              {t('action.delete')}
            </Button>,
          )}
          <Modal
            open={deleteOpen}
            title={t('delete.title', { name: job.name })}
            okText={t('action.delete')}
            okButtonProps={{ danger: true, id: 'confirm-delete' }}
            onCancel={() => setDeleteOpen(false)}
            onOk={() =>
              remove.mutate(undefined, {
                onSuccess: (r) => {
                  setDeleteOpen(false);
                  void message.success(t('delete.done', { name: job.name, count: r.removed.length }));
                  void navigate('/jobs');
                },
                onError: fail,
              })
            }
          >
            <Space direction="vertical">
              <Typography.Text>{t('delete.what')}</Typography.Text>
              <Checkbox checked={keepSavepoints} onChange={(e) => setKeepSavepoints(e.target.checked)}>
                {t('delete.keep')}
              </Checkbox>
            </Space>
          </Modal>
        </>
      )}
    </Space>
  );
}
