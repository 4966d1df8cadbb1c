import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClusterRuntime, UNIT_ENGINE_LIB, unitTargets } from '../../test/support/lifecycle-unit.ts';
import { LOCAL_CLUSTER_DEFAULTS, type LocalClusterSpec } from '../domain/clusters/local-cluster-spec.ts';
import type { FlinkDistribution } from './ports/engines.ts';
import type { KubernetesRuntime } from './ports/kubernetes.ts';
import type { LocalClusterProcesses, LocalClusterStatus } from './ports/clusters.ts';
import type { DeploymentTarget } from '../domain/targets/deployment-target.ts';

/** The fake runtime, recording each local cluster's folder and whether it was stopped or detached. */
class RecordingRuntime extends FakeClusterRuntime {
  readonly made: { name: string; root: string; calls: string[] }[] = [];
  /** Every port is taken: only what asks the machine notices. */
  override async portFree(): Promise<boolean> {
    return false;
  }
  override localCluster(
    spec: LocalClusterSpec,
    dist: FlinkDistribution,
    root?: string,
  ): LocalClusterProcesses {
    const c = super.localCluster(spec, dist);
    const made = { name: spec.name, root: root ?? '', calls: [] as string[] };
    this.made.push(made);
    return {
      ...c,
      stop: async () => void made.calls.push('stop'),
      detach: () => void made.calls.push('detach'),
    };
  }
}

async function targets(loadKubernetes: (() => Promise<KubernetesRuntime>) | null = null) {
  const runtime = new RecordingRuntime();
  return { ...(await unitTargets(runtime, loadKubernetes)), runtime };
}

const SHARED: LocalClusterSpec = {
  ...LOCAL_CLUSTER_DEFAULTS,
  name: 'local-1.20',
  engineVersion: '1.20',
  restPort: 18081,
  rpcPort: 16123,
  gatewayPort: 18083,
};

describe('a local session target attached to a cluster another owner runs', () => {
  it("is a local target whose processes are found in the owner's folder, with the ports it holds", async () => {
    const { service, runtime } = await targets();
    // Its ports are in use (by that cluster): a definition of them is refused, an attachment is not.
    await expect(service.define({ ...SHARED, name: 'other' })).rejects.toThrow(/port/);
    await service.attach(SHARED, '/run/shared-cluster/root-1');
    expect((await service.status('local-1.20')).kind).toBe('local');
    await service.start('local-1.20', () => {});
    expect(runtime.made).toEqual([{ name: 'local-1.20', root: '/run/shared-cluster/root-1', calls: [] }]);
  });

  it('is left running when the platform stops its clusters; its own clusters are stopped', async () => {
    const { service, store, runtime, config } = await targets();
    await service.attach(SHARED, '/run/shared-cluster/root-1');
    await service.start('local-1.20', () => {});
    // A target the platform defined (stored as `define` stores it) runs from its own folder.
    await store.targets.save({
      ...SHARED,
      name: 'mine',
      restPort: 38081,
      rpcPort: 36123,
      gatewayPort: 38083,
    });
    await service.start('mine', () => {});
    await service.stopAll();
    expect(runtime.made.map((m) => [m.name, m.root, m.calls])).toEqual([
      ['local-1.20', '/run/shared-cluster/root-1', ['detach']],
      ['mine', path.join(config.home, 'clusters', 'mine'), ['stop']],
    ]);
  });

  it('refuses the name of a target of another kind, and ports another target has', async () => {
    const { service, store } = await targets();
    await store.targets.save(
      {
        name: 'far',
        engineVersion: '1.20',
        restUrl: 'fake://far',
        gatewayUrl: null,
      },
      'remote',
    );
    await expect(service.attach({ ...SHARED, name: 'far' }, '/x')).rejects.toThrow(
      'deployment target far is a remote session target, not a local one',
    );
    await service.attach(SHARED, '/x');
    await expect(service.attach({ ...SHARED, name: 'twin' }, '/y')).rejects.toThrow(/18081/);
  });
});

/** A Kubernetes cluster whose checks all pass. */
const passedCheck: KubernetesRuntime['check'] = async () => ({
  server: 'https://k8s.example:6443',
  context: 'unit',
  user: null,
  serverVersion: 'v1.34.4',
  results: [{ name: 'api', ok: true, detail: 'v1.34.4', problem: null }],
  operatorCrds: null,
});

describe('the Kubernetes client', () => {
  const runtime: KubernetesRuntime = {
    check: passedCheck,
    target: () => {
      throw new Error('no deployer in this unit test');
    },
    flinkPods: () => Promise.reject(new Error('no pods in this unit test')),
    podMetrics: () => Promise.reject(new Error('no pods in this unit test')),
  };
  const input = { name: 'k8s', namespace: 'jobs', mode: 'standalone', engineVersion: '1.20' };

  it('is loaded on the first use of a Kubernetes target, once, not for local ones', async () => {
    let loads = 0;
    const { service } = await targets(async () => {
      loads++;
      return runtime;
    });
    await service.attach(SHARED, '/x');
    await service.list();
    expect(loads).toBe(0);
    await service.registerKubernetes(input);
    await service.registerKubernetes({ ...input, name: 'k8s-2' });
    const listed = (await service.list()).filter((v) => v.kind === 'kubernetes');
    expect(listed.map((v) => [v.name, v.state])).toEqual([
      ['k8s', 'ok'],
      ['k8s-2', 'ok'],
    ]);
    expect(loads).toBe(1);
  });

  it('refuses a target fetching jars from S3 while the server keeps artifacts on local disk, storing nothing', async () => {
    const { service, store, config } = await targets(async () => runtime);
    const s3 = { ...input, name: 'k8s-s3', artifactsFrom: 's3' };
    await expect(service.registerKubernetes(s3)).rejects.toMatchObject({
      details: { field: 'artifactsFrom' },
      message: expect.stringContaining(
        'this server keeps artifacts on local disk (' +
          path.join(config.home, 'artifacts') +
          '); start it with SLUICE_ARTIFACT_S3_ENDPOINT',
      ),
    });
    expect(await store.targets.get('k8s-s3')).toBeUndefined();
    // The same registration on a server whose artifacts are in a bucket.
    config.artifactStorage = {
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'artifacts',
      prefix: '',
      region: 'us-east-1',
      pathStyle: true,
      credentials: null,
    };
    expect((await service.registerKubernetes(s3)).spec).toMatchObject({ artifactsFrom: 's3' });
  });

  it('is loaded again after a load failed, the failure said to the use that met it', async () => {
    let loads = 0;
    const { service } = await targets(async () => {
      if (++loads === 1) throw new Error('Cannot find module @kubernetes/client-node');
      return runtime;
    });
    await expect(service.registerKubernetes(input)).rejects.toThrow(
      'Cannot find module @kubernetes/client-node',
    );
    expect((await service.registerKubernetes(input)).spec.name).toBe('k8s');
    expect(loads).toBe(2);
  });
});

describe("the engine's lib a target's runs take their connector jars from", () => {
  const runtime: KubernetesRuntime = {
    check: passedCheck,
    target: () => {
      throw new Error('no deployer in this unit test');
    },
    flinkPods: () => Promise.reject(new Error('no pods in this unit test')),
    podMetrics: () => Promise.reject(new Error('no pods in this unit test')),
  };
  const input = { name: 'k8s', namespace: 'jobs', mode: 'standalone', engineVersion: '1.20' };

  it("is the engine's classpath on a Kubernetes target, none where the image carries the connectors or the cluster runs the engine's lib", async () => {
    const { service } = await targets(async () => runtime);
    await service.attach(SHARED, '/x');
    await service.registerKubernetes(input);
    await service.registerKubernetes({ ...input, name: 'k8s-own-image', connectorsInImage: true });
    const lib = await service.connectorLib('k8s');
    expect(lib!.map((j) => path.basename(j))).toEqual(UNIT_ENGINE_LIB);
    expect((await service.status('k8s-own-image')).kubernetes?.spec.connectorsInImage).toBe(true);
    expect(await service.connectorLib('k8s-own-image')).toBeNull();
    expect(await service.connectorLib('local-1.20')).toBeNull();
    expect(await service.connectorLib('local-application-1.20')).toBeNull();
  });
});

describe('a Kubernetes session target changed', () => {
  /** A runtime whose targets have a session cluster in the given state. */
  const withSession = (state: () => LocalClusterStatus['state']): KubernetesRuntime => ({
    check: passedCheck,
    // Only the session cluster's status is asked here.
    target: (spec) =>
      ({
        name: spec.name,
        start: () => Promise.reject(new Error('not started in this unit test')),
        stop: () => Promise.reject(new Error('not stopped in this unit test')),
        status: async () => ({ name: spec.name, state: state() }) as LocalClusterStatus,
      }) as unknown as DeploymentTarget,
    flinkPods: () => Promise.reject(new Error('no pods in this unit test')),
    podMetrics: () => Promise.reject(new Error('no pods in this unit test')),
  });
  const session = {
    name: 'k8s-session',
    namespace: 'jobs',
    mode: 'standalone',
    engineVersion: '1.20',
    sharedDir: '/mnt/shared',
    session: { taskManagers: 1 },
  };

  it('is refused while its session cluster is not stopped, and taken once it is; the same spec again is taken', async () => {
    let state: LocalClusterStatus['state'] = 'running';
    const { service, store } = await targets(async () => withSession(() => state));
    const stored = async () => {
      const rec = await store.targets.get('k8s-session');
      return rec?.kind === 'kubernetes' ? rec.spec.session : null;
    };
    await service.registerKubernetes(session);
    // Registering the very same spec again changes nothing: not refused.
    await service.registerKubernetes(session);
    const bigger = { ...session, session: { taskManagers: 2 } };
    await expect(service.registerKubernetes(bigger)).rejects.toMatchObject({
      code: 'precondition_failed',
      message: expect.stringContaining(
        'Kubernetes target k8s-session is changed only while its session cluster is stopped (it is running',
      ) as string,
    });
    expect(await stored()).toMatchObject({ taskManagers: 1 });
    state = 'stopped';
    await service.registerKubernetes(bigger);
    expect(await stored()).toMatchObject({ taskManagers: 2 });
  });
});

describe('a target resources view', () => {
  it('names the Sluice job of each Flink job, and one whose tasks wait while no slot is free as waiting', async () => {
    const { service, runtime } = await targets();
    await service.attach(SHARED, '/run/shared-cluster/root-1');
    const fake = runtime.cluster('local-1.20');
    const job = (id: string, name: string, tasksRunning: boolean) => ({
      id,
      name,
      state: 'RUNNING' as const,
      tasksRunning,
      failures: [],
      restarts: 0,
      savepoints: [],
      checkpoint: null,
      options: {},
      statements: [],
    });
    fake.jobs.set('a'.repeat(32), job('a'.repeat(32), 'insert-into-orders', true));
    fake.jobs.set('b'.repeat(32), job('b'.repeat(32), 'insert-into-big', false));
    const v = await service.resources('local-1.20');
    expect(v).toMatchObject({ target: 'local-1.20', targetKind: 'local-session', kubernetes: null });
    expect(v.flink).toMatchObject({ taskManagers: 1, slotsTotal: 1, slotsFree: 0 });
    expect(v.flink!.clusters[0]!.jobs.map((j) => [j.name, j.job, j.slots, j.waitingTasks])).toEqual([
      ['insert-into-big', null, 0, 1],
      ['insert-into-orders', null, 1, 0],
    ]);
    expect(v.waiting).toEqual([
      {
        job: null,
        flinkJobId: 'b'.repeat(32),
        reason: 'NoFreeSlot',
        message: '1 task(s) without a slot; cluster local-1.20 has 0 of 1 slots free',
        source: 'flink',
      },
    ]);
    // A cluster that does not answer is kept, saying why, with nothing counted.
    fake.answering = false;
    const down = await service.resources('local-1.20');
    expect(down.flink!.clusters[0]!.problem).toMatch(/does not answer|connection refused/);
    expect(down.waiting).toEqual([]);
  });
});
