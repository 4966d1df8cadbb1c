import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetView } from '../../src/contract/targets.ts';
import type { Health } from '../../src/contract/health.ts';
import { requiredPermissions } from '../../src/domain/targets/kubernetes-target.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { clusterUp } from '../support/kubernetes/cluster.ts';
import type { TestPlatform } from '../support/platform.ts';
import { authHeaders } from '../support/credentials.ts';

/**
 * Kubernetes clusters as deployment targets (issue 13, item 1) against the real local cluster
 * (test/support/kubernetes; reused when it runs, never stopped here: other sessions share it): a
 * target registered through the CLI and the API is checked first (API server, namespace, the mode's
 * permissions, the operator's CRDs), listed with its health, and refused with the check that failed
 * and how to fix it; a refused one stores nothing. Users other than the admin are real service
 * accounts with tokens from the TokenRequest API and RBAC bindings the API server enforces.
 */
const NS = 'h-targets';
const NOBODY = 'h-targets-nobody';

describe('Kubernetes targets on a real cluster', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  let adminKubeconfig: string;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let rbac: k8s.RbacAuthorizationV1Api;
  let dir: string;

  const sluice = (...args: string[]) => runSluice(url, args);
  const list = async (): Promise<TargetView[]> => {
    const r = await sluice('target', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as TargetView[];
  };
  const listed = async (name: string) => (await list()).find((x) => x.name === name);
  const add = (name: string, kubeconfig: string, ...more: string[]) =>
    sluice('target', 'add', name, '--kubernetes', '--kubeconfig', kubeconfig, '--namespace', NS, ...more);

  /** A kubeconfig for the service account NOBODY: the cluster's address and CA, a token from the TokenRequest API. */
  async function serviceAccountKubeconfig(server = kc.getCurrentCluster()!.server): Promise<string> {
    const token = await core.createNamespacedServiceAccountToken({
      name: NOBODY,
      namespace: NS,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const cluster = kc.getCurrentCluster()!;
    const ca = cluster.caData ?? fs.readFileSync(cluster.caFile!).toString('base64');
    const file = path.join(dir, `${NOBODY}-${Date.now()}.kubeconfig`);
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: local\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${ca}`,
        'users:',
        `- name: ${NOBODY}\n  user:\n    token: ${token.status!.token}`,
        'contexts:',
        `- name: nobody\n  context:\n    cluster: local\n    user: ${NOBODY}`,
        'current-context: nobody',
        '',
      ].join('\n'),
    );
    return file;
  }

  beforeAll(async () => {
    ({ kubeconfig: adminKubeconfig } = await clusterUp());
    kc = new k8s.KubeConfig();
    kc.loadFromFile(adminKubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } }).catch((e: k8s.ApiException<unknown>) => {
      if (e.code !== 409) throw e;
    });
    await core
      .createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: NOBODY } } })
      .catch((e: k8s.ApiException<unknown>) => {
        if (e.code !== 409) throw e;
      });
    await rbac.deleteNamespacedRoleBinding({ name: `${NOBODY}-edit`, namespace: NS }).catch(() => undefined);
    ({ t, url, close } = await servedPlatform());
    dir = fs.mkdtempSync(path.join(t.home, 'kube-'));
  }, 600_000);

  afterAll(async () => {
    await close?.();
    // The namespace is this test's own: everything in it goes with it.
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  it('registers a target with the admin kubeconfig through the CLI, lists it healthy, and the API health says so', async () => {
    const r = await add('k8s-admin', adminKubeconfig, '--mode', 'standalone', '--image-pull-policy', 'Never');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Kubernetes target k8s-admin registered: standalone mode in namespace h-targets \(Kubernetes v1\.34\.\d+\), image flink:1\.20\.\d+-java17/,
    );
    expect(r.stderr).toMatch(
      new RegExp(`permissions: ${requiredPermissions('standalone').length} permissions granted`),
    );
    const row = await listed('k8s-admin');
    expect(row).toMatchObject({
      kind: 'kubernetes-standalone',
      state: 'ok',
      engineVersion: '1.20',
      namespace: NS,
      context: 'sluice-local',
      mode: 'standalone',
    });
    expect((row as unknown as { server: string }).server).toBe(kc.getCurrentCluster()!.server);
    const table = await sluice('target', 'list');
    expect(table.stdout).toMatch(/k8s-admin\s+kubernetes-standalone\s+ok\s+1\.20/);

    const health = (await (
      await fetch(`${url}/api/v1/health`, { headers: authHeaders(url) })
    ).json()) as Health;
    expect(health.targets.find((x) => x.name === 'k8s-admin')).toEqual({
      name: 'k8s-admin',
      status: 'ok',
      detail: expect.stringMatching(
        /^kubernetes-standalone in namespace h-targets of https:\/\/127\.0\.0\.1:\d+ \(Kubernetes v1\.34/,
      ),
    });

    // A native target whose JobManager account may not create pods (the namespace's default account
    // has no role) is refused, saying what it may not do and how to grant it.
    const bare = await add('k8s-native', adminKubeconfig, '--mode', 'native');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(`service account default may not create pods, delete pods`);
    expect(bare.stderr).toContain(
      `kubectl create rolebinding default-edit --clusterrole=edit --serviceaccount=${NS}:default -n ${NS}`,
    );
    expect(await listed('k8s-native')).toBeUndefined();
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'default-edit' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: NS }],
      },
    });

    // The same through the API once it may: a target of the native mode, its service account checked.
    const api = await fetch(`${url}/api/v1/targets/kubernetes`, {
      method: 'POST',
      headers: { ...authHeaders(url), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'k8s-native',
        kubeconfig: adminKubeconfig,
        namespace: NS,
        mode: 'native',
      }),
    });
    expect(api.status).toBe(201);
    const body = (await api.json()) as {
      spec: { image: string };
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(body.checks.find((c) => c.name === 'serviceAccount')).toEqual({
      name: 'serviceAccount',
      ok: true,
      detail: expect.stringMatching(
        /^service account default may do what the JobManager does: create pods, delete pods, get pods/,
      ),
      problem: null,
    });
    expect((await listed('k8s-native'))?.kind).toBe('kubernetes-native');

    // A native target whose JobManager service account does not exist is refused, saying how to make it.
    const noSa = await add(
      'k8s-no-sa',
      adminKubeconfig,
      '--mode',
      'native',
      '--service-account',
      'flink-missing',
    );
    expect(noSa.code).toBe(1);
    expect(noSa.stderr).toContain(
      `service account flink-missing does not exist in namespace ${NS} on ${kc.getCurrentCluster()!.server}`,
    );
    expect(noSa.stderr).toContain(`kubectl create serviceaccount flink-missing -n ${NS}`);
    expect(await listed('k8s-no-sa')).toBeUndefined();
  });

  it('refuses a service account without RBAC naming the missing permission and the grant, stores nothing, then accepts it once bound to edit', async () => {
    const file = await serviceAccountKubeconfig();
    const refused = await add('k8s-sa', file, '--mode', 'standalone');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: Kubernetes target k8s-sa is not registered:');
    expect(refused.stderr).toContain(
      `system:serviceaccount:${NS}:${NOBODY} may not create configmaps, get configmaps, list configmaps`,
    );
    expect(refused.stderr).toContain(
      `in namespace ${NS} on ${kc.getCurrentCluster()!.server} (context nobody)`,
    );
    expect(refused.stderr).toContain(
      `kubectl create rolebinding sluice-k8s-sa --clusterrole=edit --serviceaccount=${NS}:${NOBODY} -n ${NS}`,
    );
    expect(await listed('k8s-sa')).toBeUndefined();

    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: `${NOBODY}-edit` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'ServiceAccount', name: NOBODY, namespace: NS }],
      },
    });
    const accepted = await add('k8s-sa', file, '--mode', 'standalone');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect((await listed('k8s-sa'))?.state).toBe('ok');
    // It may not read CRDs (a cluster-scoped resource): the operator's group is asked of API discovery.
    const crds = (await t.platform.targets.status('k8s-sa')).kubernetes?.operatorCrds;
    expect(crds?.source).toBe('discovery');

    // The operator's resources are not in `edit`: the operator mode is refused naming them.
    const operator = await add('k8s-sa-op', file, '--mode', 'operator');
    expect(operator.code).toBe(1);
    expect(operator.stderr).toMatch(/flinkdeployments/);
    expect(await listed('k8s-sa-op')).toBeUndefined();
  });

  it('refuses an API server that does not answer within seconds, naming its address', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const file = await serviceAccountKubeconfig(`https://127.0.0.1:${closed}`);
    const started = Date.now();
    const r = await add('k8s-down', file, '--mode', 'standalone');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the Kubernetes API server https://127.0.0.1:${closed} (context nobody) does not answer: request to https://127.0.0.1:${closed}/version failed, reason: connect ECONNREFUSED 127.0.0.1:${closed}`,
    );
    expect(await listed('k8s-down')).toBeUndefined();
  });

  it('refuses a namespace that does not exist, and a context the kubeconfig does not have', async () => {
    const r = await sluice(
      ...['target', 'add', 'k8s-nons', '--kubernetes', '--kubeconfig', adminKubeconfig],
      ...['--namespace', 'h-targets-absent', '--mode', 'standalone'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `namespace h-targets-absent does not exist on ${kc.getCurrentCluster()!.server} (context sluice-local): create it (kubectl create namespace h-targets-absent)`,
    );
    const ctx = await add('k8s-ctx', adminKubeconfig, '--mode', 'standalone', '--context', 'prod');
    expect(ctx.code).toBe(1);
    expect(ctx.stderr).toContain(
      `context 'prod' is not in kubeconfig ${adminKubeconfig}: its contexts are sluice-local`,
    );
    const bad = await add('k8s-bad', adminKubeconfig, '--mode', 'session');
    expect(bad.stderr).toContain("error: mode: 'session' is not a way to run jobs on Kubernetes");
    expect((await list()).map((x) => x.name)).not.toEqual(
      expect.arrayContaining(['k8s-nons', 'k8s-ctx', 'k8s-bad']),
    );
  });

  it('reports the operator CRDs exactly as apiextensions lists them, and takes the operator mode only when they are served', async () => {
    // Another session may install the operator's CRDs on this shared cluster at any time: what the
    // check reports is compared with what apiextensions says now, and the decision follows it.
    const served = async () =>
      (await kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition()).items
        .filter((c) => c.spec.group === 'flink.apache.org')
        .map((c) => ({
          name: c.metadata!.name!,
          servedVersions: c.spec.versions.filter((v) => v.served).map((v) => v.name),
        }))
        .filter((c) => /^(flinkdeployments|flinksessionjobs|flinkstatesnapshots)\./.test(c.name))
        .sort((a, b) => a.name.localeCompare(b.name));
    const before = await served();
    const r = await add('k8s-operator', adminKubeconfig, '--mode', 'operator');
    const after = await served();
    expect(after, 'the CRDs changed during the check: run again').toEqual(before);
    const names = before.map((c) => c.name);
    if (
      names.includes('flinkdeployments.flink.apache.org') &&
      names.includes('flinksessionjobs.flink.apache.org')
    ) {
      expect(r.code, r.stderr).toBe(0);
      expect((await t.platform.targets.status('k8s-operator')).kubernetes?.operatorCrds).toEqual({
        source: 'apiextensions',
        present: before,
        missing: ['flinkdeployments', 'flinksessionjobs', 'flinkstatesnapshots']
          .map((x) => `${x}.flink.apache.org`)
          .filter((n) => !names.includes(n)),
      });
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the Flink Kubernetes Operator resources');
      expect(r.stderr).toContain('choose the native or standalone mode');
      expect(await listed('k8s-operator')).toBeUndefined();
    }
    // The standalone target reports them too, whatever they are.
    const standalone = (await t.platform.targets.status('k8s-admin')).kubernetes!;
    expect(standalone.operatorCrds?.present).toEqual(before);
  });

  it('takes jobs naming it; a start is refused while its pods have no way to the jars, and removal waits for its jobs', async () => {
    const sqlFile = path.join(dir, 'job.sql');
    fs.writeFileSync(
      sqlFile,
      "CREATE TABLE s (id INT) WITH ('connector' = 'datagen');\nCREATE TABLE b (id INT) WITH ('connector' = 'blackhole');\nINSERT INTO b SELECT id FROM s;\n",
    );
    const created = await sluice(
      'job',
      'create',
      '--name',
      'on-k8s',
      '--sql-file',
      sqlFile,
      '--target',
      'k8s-native',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('target k8s-native');
    const start = await sluice('job', 'start', 'on-k8s');
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(
      'Kubernetes target k8s-native has neither a platform URL (platformUrl) nor a shared folder (sharedDir)',
    );
    expect(start.stderr).toContain('failed step: write SQL runner plan');

    const refused = await sluice('target', 'remove', 'k8s-native');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('deployment target k8s-native is the target of job(s) on-k8s');
    expect(await listed('k8s-native')).toBeDefined();
    expect((await sluice('job', 'delete', 'on-k8s')).code).toBe(0);
    const removed = await sluice('target', 'remove', 'k8s-native');
    expect(removed.code, removed.stderr).toBe(0);
    expect(await listed('k8s-native')).toBeUndefined();
  });
});
