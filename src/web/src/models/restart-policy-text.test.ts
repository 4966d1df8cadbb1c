import { describe, expect, it } from 'vitest';
import i18n from '../i18n/index.ts';
import { RESTART_STRATEGY_KINDS, restartPolicyOf } from '../../../domain/jobs/restart-policy.ts';
import { restartPolicyText, resubmitPolicyText } from './restart-policy-text.ts';

describe('restart policy texts', () => {
  it('says every strategy with its numbers, in both languages', async () => {
    for (const lng of ['en', 'zh-CN']) {
      const t = i18n.getFixedT(lng);
      for (const kind of RESTART_STRATEGY_KINDS) {
        const text = restartPolicyText(t, restartPolicyOf(kind));
        expect(text, `${lng} ${kind}`).not.toMatch(/restart\.describe|\{\{/);
      }
    }
    const en = i18n.getFixedT('en');
    expect(restartPolicyText(en, { kind: 'fixed-delay', attempts: 2, delaySeconds: 5 })).toBe(
      'Flink restarts the job up to 2 times, 5 s apart, then fails it',
    );
    expect(resubmitPolicyText(en, { kind: 'from-latest-checkpoint', attempts: 1, backoffSeconds: 0 })).toBe(
      'After Flink gives up, Sluice submits the job again from its latest checkpoint, up to 1 times, 0 s after the failure',
    );
  });
});
