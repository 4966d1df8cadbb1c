import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../domain/messages.ts';
import { crdsResult } from './kubernetes-runtime.ts';

const at = { server: 'https://10.0.0.1:6443', context: 'prod' };
const all = ['flinkdeployments', 'flinksessionjobs', 'flinkstatesnapshots'].map(
  (r) => `${r}.flink.apache.org`,
);

/**
 * The decision on the operator's CRDs, whatever the cluster serves today (the real cluster's answers
 * are in test/e2e/kubernetes-targets.test.ts; another session may install the CRDs at any time).
 */
describe('the operator CRDs check', () => {
  it('refuses the operator mode when FlinkDeployment or FlinkSessionJob is not served, naming them and where', () => {
    const absent = crdsResult('operator', { source: 'apiextensions', present: [], missing: all }, null, at);
    expect(absent.ok).toBe(false);
    expect(renderMessage(absent.problem!)).toBe(
      'the Flink Kubernetes Operator resources flinkdeployments.flink.apache.org, flinksessionjobs.flink.apache.org are not served by https://10.0.0.1:6443 (context prod): the operator mode writes FlinkDeployment and FlinkSessionJob resources; install the operator with its CRDs, or choose the native or standalone mode',
    );
    const noSessionJobs = crdsResult(
      'operator',
      {
        source: 'apiextensions',
        present: [{ name: all[0]!, servedVersions: ['v1beta1'] }],
        missing: [all[1]!, all[2]!],
      },
      null,
      at,
    );
    expect(renderMessage(noSessionJobs.problem!)).toContain(
      'resources flinksessionjobs.flink.apache.org are not',
    );
  });

  it('accepts the operator mode with both served (snapshots optional) and reports the served versions', () => {
    const r = crdsResult(
      'operator',
      {
        source: 'apiextensions',
        present: [
          { name: all[0]!, servedVersions: ['v1beta1'] },
          { name: all[1]!, servedVersions: ['v1beta1'] },
        ],
        missing: [all[2]!],
      },
      null,
      at,
    );
    expect(r).toEqual({
      name: 'crds',
      ok: true,
      detail:
        'operator CRDs (apiextensions): flinkdeployments.flink.apache.org v1beta1, flinksessionjobs.flink.apache.org v1beta1; absent: flinkstatesnapshots.flink.apache.org',
      problem: null,
    });
  });

  it('only reports them for the other modes, and refuses the operator mode when nothing could be asked', () => {
    for (const mode of ['standalone', 'native'] as const)
      expect(crdsResult(mode, { source: 'discovery', present: [], missing: all }, null, at)).toMatchObject({
        ok: true,
        detail: 'operator CRDs absent (discovery)',
      });
    expect(crdsResult('standalone', null, '403: forbidden', at).ok).toBe(true);
    const unknown = crdsResult('operator', null, '403: forbidden', at);
    expect(unknown.ok).toBe(false);
    expect(renderMessage(unknown.problem!)).toContain(
      'refused to list the served API groups: 403: forbidden',
    );
  });
});
