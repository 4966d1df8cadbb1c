import { Alert, AutoComplete, Checkbox, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StartParams as SubmissionParams } from '../../../../contract/jobs.ts';
import { useJob, useJobSavepoints, type SavepointRecord } from '../../api/jobs.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { localTime } from '../../i18n/index.ts';

type Choice = 'latest' | 'none' | 'other';

/**
 * Starting a job says what it restores: by default its latest savepoint or retained checkpoint (as the
 * server does), or, chosen explicitly, another one or empty state.
 */
export function StartModal({
  name,
  open,
  onClose,
  onStart,
}: {
  name: string;
  open: boolean;
  onClose: () => void;
  onStart: (params: SubmissionParams) => void;
}) {
  const { t } = useTranslation();
  const job = useJob(name, { enabled: open });
  const savepoints = useJobSavepoints(name, { enabled: open });
  const [choice, setChoice] = useState<Choice | null>(null);
  const [other, setOther] = useState('');
  const [allowNonRestored, setAllowNonRestored] = useState(false);
  const latest = job.data?.defaultRestore ?? null;
  const chosen: Choice = choice ?? (latest ? 'latest' : 'none');
  const describe = (sp: SavepointRecord) =>
    t('start.latest', {
      kind: t(`kind.${sp.kind}`),
      path: sp.path,
      origin: t(`origin.${sp.origin}`),
      at: localTime(sp.createdAt),
    });
  const params = (): SubmissionParams => ({
    fromSavepoint: chosen === 'latest' ? latest!.path : chosen === 'none' ? 'none' : other.trim(),
    allowNonRestoredState: allowNonRestored,
  });
  const close = () => {
    setChoice(null);
    setOther('');
    setAllowNonRestored(false);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('start.title', { name })}
      okText={t('action.start')}
      okButtonProps={{
        id: 'confirm-start',
        disabled: job.isPending || (chosen === 'other' && !other.trim()),
      }}
      onCancel={close}
      onOk={() => {
        onStart(params());
        close();
      }}
    >
      {job.isPending ? (
        <Loading />
      ) : job.isError ? (
        <InlineError error={job.error} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{t('start.restore')}</Typography.Text>
          <Radio.Group value={chosen} onChange={(e) => setChoice(e.target.value as Choice)}>
            <Space direction="vertical">
              {latest && (
                <Radio value="latest" data-testid="restore-latest">
                  {describe(latest)}
                </Radio>
              )}
              <Radio value="none" data-testid="restore-none">
                {t('start.noState')}
              </Radio>
              <Radio value="other" data-testid="restore-other">
                {t('start.other')}
              </Radio>
            </Space>
          </Radio.Group>
          {!latest && <Alert type="info" showIcon message={t('start.nothingToRestore')} />}
          {latest && chosen === 'none' && (
            <Alert
              type="warning"
              showIcon
              message={t('start.noStateWarning')}
              data-testid="no-state-warning"
            />
          )}
          {chosen === 'other' && (
            // Any path, or one of the job's own savepoints and checkpoints.
            <AutoComplete
              style={{ width: '100%' }}
              aria-label={t('start.otherPath')}
              placeholder="file:///…/savepoint-…"
              value={other}
              onChange={(v: string) => setOther(v)}
              options={(savepoints.data ?? []).map((sp) => ({ value: sp.path, label: describe(sp) }))}
              data-testid="restore-path"
            />
          )}
          {chosen !== 'none' && (
            <Checkbox checked={allowNonRestored} onChange={(e) => setAllowNonRestored(e.target.checked)}>
              {t('start.allowNonRestored')}
            </Checkbox>
          )}
        </Space>
      )}
    </Modal>
  );
}
