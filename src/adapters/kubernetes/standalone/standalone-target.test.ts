import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterStarting, TargetUnreachable } from '../../../domain/targets/deployment-target.ts';
import type { RestTransport } from '../../flink/rest/flink-rest-client.ts';
import { SessionClusterTarget } from '../../flink/session-cluster-target.ts';
import { adoptedRun, placeJars, StandaloneClusterObserver } from './standalone-target.ts';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("a run's jars in its usrlib", () => {
  it('are numbered in classpath order and readable by the pods’ flink user, whatever mode the store gave them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-usrlib-'));
    made.push(dir);
    const store = path.join(dir, 'store');
    fs.mkdirSync(store);
    const jars = ['job.jar', 'lib.jar'].map((n) => path.join(store, n));
    for (const j of jars) fs.writeFileSync(j, j, { mode: 0o600 });
    const usrlib = path.join(dir, 'run', 'usrlib');
    fs.mkdirSync(usrlib, { recursive: true });
    fs.writeFileSync(path.join(usrlib, '00-old.jar'), 'an earlier run');
    placeJars(usrlib, jars);
    expect(fs.readdirSync(usrlib).sort()).toEqual(['00-job.jar', '01-lib.jar']);
    expect(fs.statSync(usrlib).mode & 0o777).toBe(0o755);
    for (const f of fs.readdirSync(usrlib))
      expect(fs.statSync(path.join(usrlib, f)).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(path.join(usrlib, '01-lib.jar'), 'utf8')).toBe(jars[1]);
  });
});

describe('the observer of a cluster adopted after a platform restart', () => {
  const ID = '1c9b1b387df6605d54937b3cd963539a';
  const PROXY = 'https://127.0.0.1:16443/api/v1/namespaces/h/services/flink-a-jobmanager:rest/proxy';

  /**
   * Flink REST through the API server's service proxy: 503 while the JobManager has no ready endpoint
   * (its pod Running, its REST not listening yet), then the JobManager's answers.
   */
  function adopted(createdSecondsAgo: number) {
    const jm = { ready: false, jobs: [] as { jid: string; name: string; state: string }[] };
    const answer = (status: number, body: unknown) => ({
      ok: status < 300,
      status,
      text: async () => (typeof body === 'string' ? body : JSON.stringify(body)),
    });
    const transport: RestTransport = async (url) => {
      if (!jm.ready) return answer(503, 'no endpoints available for service "flink-a-jobmanager"');
      const p = url.slice(PROXY.length);
      if (p === '/jobs/overview') return answer(200, { jobs: jm.jobs });
      const job = jm.jobs.find((j) => p === `/jobs/${j.jid}`);
      return job ? answer(200, job) : answer(404, { errors: ['Job could not be found.'] });
    };
    const rest = new SessionClusterTarget(
      'k8s-watch',
      'remote',
      PROXY,
      null,
      undefined,
      undefined,
      transport,
    );
    const root = { creationTimestamp: new Date(Date.now() - createdSecondsAgo * 1000) };
    const run = adoptedRun(root, 'a', 'flink-a', rest);
    return { jm, observer: new StandaloneClusterObserver('k8s-watch', ID, run) };
  }

  it('a start the killed platform left, its JobManager not answering or not showing the job yet, is still coming up', async () => {
    const { jm, observer } = adopted(20);
    await expect(observer.jobState(ID)).rejects.toBeInstanceOf(ClusterStarting);
    await expect(observer.observe()).rejects.toBeInstanceOf(ClusterStarting);
    jm.ready = true;
    await expect(observer.jobState(ID)).rejects.toBeInstanceOf(ClusterStarting);
    jm.jobs.push({ jid: ID, name: 'a', state: 'RUNNING' });
    expect(await observer.jobState(ID)).toBe('RUNNING');
    // Once its job was seen, a JobManager that stops answering is not a start any more.
    jm.ready = false;
    const silent = await observer.jobState(ID).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(TargetUnreachable);
    expect(silent).not.toBeInstanceOf(ClusterStarting);
  });

  it('a cluster made before the start’s grace is past its start: a silent JobManager is silent, no job is absent', async () => {
    const { jm, observer } = adopted(600);
    const silent = await observer.jobState(ID).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(TargetUnreachable);
    expect(silent).not.toBeInstanceOf(ClusterStarting);
    jm.ready = true;
    expect(await observer.jobState(ID)).toBe('absent');
  });
});
