import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../domain/messages.ts';
import { crdsResult, kubernetesRuntime, permissionsResult } from './kubernetes-runtime.ts';

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

describe("a target's Flink options for its jobs' pods", () => {
  it('are refused at registration, before the cluster is asked, saying which option and how to write it', async () => {
    const spec = {
      name: 'k8s',
      engineVersion: '1.20',
      kubeconfig: '/nowhere/kubeconfig',
      context: null,
      namespace: 'jobs',
      mode: 'standalone' as const,
      image: 'flink:1.20.3-java17',
      imagePullPolicy: 'IfNotPresent' as const,
      imagePullSecrets: [],
      serviceAccount: null,
      sharedDir: null,
    };
    const check = (flinkConfiguration: Record<string, string>) =>
      kubernetesRuntime().check({ ...spec, flinkConfiguration });
    await expect(check({ 'kubernetes.taskmanager.tolerations': 'key:a,operator:Same' })).rejects.toThrow(
      "option 'kubernetes.taskmanager.tolerations': 'key:a,operator:Same': operator 'Same' is not one of Equal, Exists",
    );
    await expect(check({ 'kubernetes.rest-service.exposed.type': 'Public' })).rejects.toThrow(
      /the type is one of ClusterIP, NodePort, LoadBalancer, Headless_ClusterIP/,
    );
    await expect(check({ 'kubernetes.pod-template-file.default': '/nowhere/pod.yaml' })).rejects.toThrow(
      /the pod template \/nowhere\/pod.yaml: it cannot be read on Sluice's machine/,
    );
    // Good options pass on to the cluster's checks (this kubeconfig does not exist: that check says so).
    const r = await check({ 'kubernetes.taskmanager.node-selector': 'disk:ssd' });
    expect(r.results[0]).toMatchObject({ name: 'kubeconfig', ok: false });
  });
});

describe('the permissions check from its reviews', () => {
  const spec = { name: 'prod', namespace: 'flink', mode: 'standalone' as const };
  const secrets = { group: '', resource: 'secrets', verb: 'get' };
  const pods = { group: '', resource: 'pods', verb: 'list' };
  const timedOut = 'the review itself failed: no answer within 3 s';

  it('a review the API server did not answer (a busy server) is named, not said missing: the target is not degraded for it', () => {
    const r = permissionsResult(
      [
        { permission: secrets, allowed: true, reason: null },
        { permission: pods, allowed: null, reason: timedOut },
      ],
      at,
      'alice',
      spec,
    );
    expect(r).toMatchObject({ name: 'permissions', ok: true, problem: null });
    expect(r.detail).toBe(
      `1 permissions granted; not reviewed, the API server did not answer: list pods (${timedOut})`,
    );
  });

  it('a denied permission fails the check with the command that grants it, whatever else did not answer', () => {
    const r = permissionsResult(
      [
        { permission: secrets, allowed: false, reason: null },
        { permission: pods, allowed: null, reason: timedOut },
      ],
      at,
      'alice',
      spec,
    );
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^missing: get secrets; not reviewed, the API server did not answer: list pods/);
    const said = renderMessage(r.problem!);
    expect(said).toContain(
      'alice may not get secrets in namespace flink on https://10.0.0.1:6443 (context prod)',
    );
    expect(said).toContain('kubectl');
    expect(said).not.toContain('list pods');
  });

  it('all granted: ok, counted', () => {
    expect(permissionsResult([{ permission: pods, allowed: true, reason: null }], at, null, spec)).toEqual({
      name: 'permissions',
      ok: true,
      detail: '1 permissions granted',
      problem: null,
    });
  });
});
