import type {
  RestartPolicyBody as RestartPolicy,
  ResubmitPolicyBody as ResubmitPolicy,
} from '../../../contract/jobs.ts';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A restart policy in the user's language: what Flink does when a task fails. */
export function restartPolicyText(t: Translate, p: RestartPolicy): string {
  return t(`restart.describe.${p.kind}`, { ...p });
}

/** The resubmit policy in the user's language: what Sluice does after Flink gave up. */
export function resubmitPolicyText(t: Translate, p: ResubmitPolicy): string {
  return t(`resubmit.describe.${p.kind}`, { ...p });
}
