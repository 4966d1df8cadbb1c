import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, waitFor, type TestPlatform } from '../../../../test/support/platform.ts';
import { processesWithArg } from './os-processes.ts';

/** A real standalone Flink 1.20 session cluster: JobManager, TaskManager and SQL Gateway JVMs. */
describe('local session cluster', () => {
  let t: TestPlatform;
  const name = 'local-test';
  const ROLES = ['jobmanager', 'taskmanager', 'sql-gateway'] as const;
  const marker = () => `-Dsluice.cluster.dir=${t.home}/clusters/${name}`;

  beforeAll(async () => {
    t = await testPlatform();
    await t.platform.targets.define({
      name,
      engineVersion: '1.20',
      ...(await t.clusterSettings()),
      // Flink's scripts give each process these: Sluice, starting the JVMs itself, must too.
      flinkConfig: Object.fromEntries(ROLES.map((r) => [`env.java.opts.${r}`, `-Dsluice.test.role=${r}`])),
    });
  });
  afterAll(async () => {
    await t?.close();
    expect(processesWithArg(marker())).toEqual([]);
  });

  it('starts, and is healthy through Flink REST and the SQL Gateway', async () => {
    const lines: string[] = [];
    const s = await t.platform.targets.start(name, (l) => lines.push(l));
    expect(s.state).toBe('running');
    expect(s.overview).toMatchObject({ taskmanagers: 1, 'slots-total': 4, 'flink-version': '1.20.3' });
    expect(s.processes.map((p) => [p.id, p.alive])).toEqual([
      ['jobmanager', true],
      ['taskmanager-1', true],
      ['sql-gateway', true],
    ]);
    expect(lines.at(-1)).toMatch(/is healthy/);
    expect(processesWithArg(marker())).toHaveLength(3);
    for (const role of ROLES) expect(processesWithArg(`-Dsluice.test.role=${role}`)).toHaveLength(1);
  });

  it("gives its target the processes' log files as the cluster's, shared by its jobs", async () => {
    const logs = (await t.platform.targets.target(name)).logs!;
    expect(logs.scope).toBe('cluster');
    const sources = await logs.sources({ jobName: 'any', flinkJobId: null });
    expect(sources.filter((s) => s.stream === 'log').map((s) => [s.id, s.role, s.live])).toEqual([
      ['jobmanager.log', 'jobmanager', true],
      ['taskmanager-1.log', 'taskmanager', true],
      ['sql-gateway.log', 'sql-gateway', true],
    ]);
    const jm = await logs.read({ jobName: 'any', flinkJobId: null }, 'jobmanager.log', { fromOffset: 0 });
    expect(new TextDecoder().decode(jm.bytes)).toContain('Starting StandaloneSessionClusterEntrypoint');
    expect(jm).toMatchObject({ from: 0, live: true });
  });

  it('restarts a TaskManager killed with SIGKILL and records both events', async () => {
    const before = await t.platform.targets.status(name);
    const tm = before.processes.find((p) => p.id === 'taskmanager-1')!;
    process.kill(tm.pid!, 'SIGKILL');
    const after = await waitFor('a new TaskManager registered with the JobManager', async () => {
      const s = await t.platform.targets.status(name);
      const p = s.processes.find((x) => x.id === 'taskmanager-1')!;
      return p.alive && p.pid !== tm.pid && s.state === 'running' && s;
    });
    expect(after.processes.find((p) => p.id === 'taskmanager-1')!.restarts).toBe(1);
    const kinds = after.events.filter((e) => e.processId === 'taskmanager-1').map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['exited', 'restarted']);
    expect(after.events.find((e) => e.kind === 'exited')!.detail).toMatch(/SIGKILL/);
  });

  it('a new platform process adopts the running cluster instead of starting a second one', async () => {
    const pids = processesWithArg(marker())
      .map((p) => p.pid)
      .sort();
    // The first platform "dies": its supervision ends, its JVMs keep running.
    t.platform.targets.detachAll();
    // What a platform restarted after kill -9 does: a fresh cluster manager over the same home.
    const restarted = await testPlatformOver(t);
    const adopted = await restarted.targets.adoptLeftovers(() => {});
    expect(adopted).toEqual([name]);
    const s = await restarted.targets.status(name);
    expect(s.state).toBe('running');
    // Reached over the doors its processes were started with (TLS with the home's keys).
    expect(s.restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(s.processes.every((p) => p.adopted)).toBe(true);
    expect(
      processesWithArg(marker())
        .map((p) => p.pid)
        .sort(),
    ).toEqual(pids);
    expect(s.events.filter((e) => e.kind === 'adopted')).toHaveLength(3);
    restarted.targets.detachAll();
    await restarted.store.close();
  });

  it('stops cleanly: no process of the cluster is left', async () => {
    const s = await t.platform.targets.stop(name);
    expect(s.state).toBe('stopped');
    expect(processesWithArg(marker())).toEqual([]);
  });

  it('refuses to start on a port another program holds, naming it, and leaves nothing running', async () => {
    const spec = await t.platform.targets.spec(name);
    const blocker = net.createServer().listen(spec.restPort, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expect(t.platform.targets.start(name, () => {})).rejects.toThrow(
        new RegExp(`port ${spec.restPort} \\(restPort\\) is already in use by another program`),
      );
      expect(processesWithArg(marker())).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});

async function testPlatformOver(t: TestPlatform) {
  const { Platform } = await import('../../../composition/platform.ts');
  const { pino } = await import('pino');
  return Platform.open(t.platform.config, pino({ level: 'silent' }));
}
