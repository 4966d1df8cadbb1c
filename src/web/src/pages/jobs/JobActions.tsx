import { App, Button, Checkbox, Input, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { jobsApi, useJobMutation, type JobView } from '../../api/jobs.ts';
import { availableActions } from '../../models/job-state.ts';

/** Start, stop (with the savepoint choice), cancel, copy and delete, each confirmed first. */
export function JobActions({ job, compact = false }: { job: JobView; compact?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = availableActions(job.state);
  const busy = job.operation !== null;
  const [stopOpen, setStopOpen] = useState(false);
  const [withSavepoint, setWithSavepoint] = useState(true);
  const [drain, setDrain] = useState(false);
  const [copyOpen, setCopyOpen] = useState(false);
  const [copyName, setCopyName] = useState(`${job.name}-copy`);
  const report = (kind: string) => () => void message.info(t('submission.sent', { kind, name: job.name }));
  const fail = (e: Error) => void message.error(e.message);
  const start = useJobMutation(() => jobsApi.start(job.name));
  const stop = useJobMutation(() => jobsApi.stop(job.name, withSavepoint, drain));
  const cancel = useJobMutation(() => jobsApi.cancel(job.name));
  const copy = useJobMutation(() => jobsApi.copy(job.name, copyName));
  const remove = useJobMutation(() => jobsApi.remove(job.name));
  const size = compact ? 'small' : 'middle';
  return (
    <Space wrap>
      <Popconfirm
        title={t('confirm.start', { name: job.name })}
        onConfirm={() => start.mutate(undefined, { onSuccess: report('start'), onError: fail })}
        disabled={!can.start || busy}
      >
        <Button size={size} type="primary" disabled={!can.start || busy} data-testid="action-start">
          {t('action.start')}
        </Button>
      </Popconfirm>
      <Button
        size={size}
        disabled={!can.stop || busy}
        onClick={() => setStopOpen(true)}
        data-testid="action-stop"
      >
        {t('action.stop')}
      </Button>
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
          <Checkbox checked={drain} disabled={!withSavepoint} onChange={(e) => setDrain(e.target.checked)}>
            {t('stop.drain')}
          </Checkbox>
        </Space>
      </Modal>
      <Popconfirm
        title={t('confirm.cancel', { name: job.name })}
        onConfirm={() => cancel.mutate(undefined, { onSuccess: report('cancel'), onError: fail })}
        disabled={!can.cancel || busy}
      >
        <Button size={size} danger disabled={!can.cancel || busy}>
          {t('action.cancel')}
        </Button>
      </Popconfirm>
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
      <Popconfirm
        title={t('confirm.delete', { name: job.name })}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/jobs'), onError: fail })}
      >
        <Button size={size} danger type="text">
          {t('action.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
