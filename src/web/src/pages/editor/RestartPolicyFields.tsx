import { Form, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  RESTART_STRATEGY_KINDS,
  restartPolicyOf,
  type RestartPolicy,
  type ResubmitPolicy,
} from '../../../../domain/jobs/restart-policy.ts';
import { restartPolicyText, resubmitPolicyText } from '../../models/restart-policy-text.ts';

type Fields<P> = { [K in keyof P]: P[K] extends number ? K : never }[keyof P];

/**
 * Flink's restart strategy (what Flink does when a task fails) and, apart from it, whether Sluice
 * submits the job again once Flink gave up on it.
 */
export function RestartPolicyFields({
  restart,
  resubmit,
  onRestart,
  onResubmit,
}: {
  restart: RestartPolicy;
  resubmit: ResubmitPolicy;
  /** Updates of the latest policy, so that two quick edits both apply. */
  onRestart: (update: (p: RestartPolicy) => RestartPolicy) => void;
  onResubmit: (update: (p: ResubmitPolicy) => ResubmitPolicy) => void;
}) {
  const { t } = useTranslation();
  /** A number field of the chosen strategy; the update ignores a policy of another kind (a stale render). */
  const field = <K extends RestartPolicy['kind']>(
    kind: K,
    key: Fields<Extract<RestartPolicy, { kind: K }>>,
    label: string,
    opts: { min: number; max: number; step?: number },
  ) => (
    <Form.Item label={label} style={{ marginBottom: 0 }}>
      <InputNumber
        {...opts}
        value={(restart as unknown as Record<string, number>)[key as string]}
        onChange={(v) =>
          onRestart((p) => (p.kind === kind && v !== null ? ({ ...p, [key]: v } as RestartPolicy) : p))
        }
        data-testid={`restart-${String(key)}`}
      />
    </Form.Item>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="end" size="large">
        <Form.Item label={t('settings.restartStrategy')} style={{ marginBottom: 0 }}>
          <Select
            style={{ width: 220 }}
            value={restart.kind}
            onChange={(kind: RestartPolicy['kind']) => onRestart(() => restartPolicyOf(kind))}
            options={RESTART_STRATEGY_KINDS.map((k) => ({ value: k, label: t(`restart.kind.${k}`) }))}
            data-testid="restart-policy"
          />
        </Form.Item>
        {restart.kind === 'fixed-delay' && (
          <>
            {field('fixed-delay', 'attempts', t('settings.attempts'), { min: 1, max: 1000 })}
            {field('fixed-delay', 'delaySeconds', t('settings.delay'), { min: 0, max: 86_400 })}
          </>
        )}
        {restart.kind === 'exponential-delay' && (
          <>
            {field('exponential-delay', 'attempts', t('settings.attempts'), { min: 1, max: 1_000_000 })}
            {field('exponential-delay', 'initialBackoffSeconds', t('settings.initialBackoff'), {
              min: 0.001,
              max: 86_400,
            })}
            {field('exponential-delay', 'maxBackoffSeconds', t('settings.maxBackoff'), {
              min: 0.001,
              max: 86_400,
            })}
            {field('exponential-delay', 'backoffMultiplier', t('settings.multiplier'), {
              min: 1,
              max: 100,
              step: 0.1,
            })}
            {field('exponential-delay', 'resetBackoffThresholdSeconds', t('settings.resetThreshold'), {
              min: 0.001,
              max: 864_000,
            })}
            {field('exponential-delay', 'jitterFactor', t('settings.jitter'), { min: 0, max: 1, step: 0.05 })}
          </>
        )}
        {restart.kind === 'failure-rate' && (
          <>
            {field('failure-rate', 'maxFailuresPerInterval', t('settings.maxFailures'), {
              min: 1,
              max: 1_000_000,
            })}
            {field('failure-rate', 'intervalSeconds', t('settings.failureInterval'), {
              min: 0.001,
              max: 864_000,
            })}
            {field('failure-rate', 'delaySeconds', t('settings.delay'), { min: 0, max: 86_400 })}
          </>
        )}
      </Space>
      <Typography.Text type="secondary" data-testid="restart-summary">
        {restartPolicyText(t, restart)}
      </Typography.Text>
      <Space wrap align="end" size="large">
        <Form.Item label={t('settings.resubmit')} style={{ marginBottom: 0 }}>
          <Radio.Group
            value={resubmit.kind}
            onChange={(e) =>
              onResubmit(() =>
                e.target.value === 'none'
                  ? { kind: 'none' }
                  : { kind: 'from-latest-checkpoint', attempts: 3, backoffSeconds: 30 },
              )
            }
            options={[
              { value: 'none', label: t('settings.resubmitNone') },
              { value: 'from-latest-checkpoint', label: t('settings.resubmitFromCheckpoint') },
            ]}
            data-testid="resubmit-policy"
          />
        </Form.Item>
        {resubmit.kind === 'from-latest-checkpoint' && (
          <>
            <Form.Item label={t('settings.attempts')} style={{ marginBottom: 0 }}>
              <InputNumber
                min={1}
                max={100}
                value={resubmit.attempts}
                onChange={(v) =>
                  onResubmit((p) => (p.kind === 'none' || v === null ? p : { ...p, attempts: v }))
                }
                data-testid="resubmit-attempts"
              />
            </Form.Item>
            <Form.Item label={t('settings.backoff')} style={{ marginBottom: 0 }}>
              <InputNumber
                min={0}
                max={3600}
                value={resubmit.backoffSeconds}
                onChange={(v) =>
                  onResubmit((p) => (p.kind === 'none' || v === null ? p : { ...p, backoffSeconds: v }))
                }
              />
            </Form.Item>
          </>
        )}
      </Space>
      <Typography.Text type="secondary">{resubmitPolicyText(t, resubmit)}</Typography.Text>
    </Space>
  );
}
