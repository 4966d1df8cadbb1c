import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawResponse } from '../../../domain/targets/deployment-target.ts';
import type { KubeApi } from './kube-api.ts';
import { sessionUiThrough, stageJarInto } from './standalone-session.ts';

const answer = (status: number): RawResponse => ({
  status,
  contentType: 'text/plain',
  body: Buffer.from('x'),
});

function ui(status: number, state: string) {
  const asked: string[] = [];
  const api = {
    get: async (url: string) => {
      asked.push(url);
      return answer(status);
    },
  } as unknown as KubeApi;
  return {
    asked,
    ui: sessionUiThrough(api, 'https://k8s/api/v1/namespaces/n/services/s:rest/proxy', async () => state),
  };
}

describe("a Kubernetes session's Web UI through the API server", () => {
  it("asks the service proxy and hands Flink's answer on", async () => {
    const { asked, ui: u } = ui(200, 'running');
    expect(await u.get('/overview', AbortSignal.timeout(1000))).toMatchObject({ status: 200 });
    expect(asked).toEqual(['https://k8s/api/v1/namespaces/n/services/s:rest/proxy/overview']);
  });

  it("says the session's state when the proxy finds nothing behind it and the session is not running", async () => {
    expect(await ui(503, 'stopped').ui.get('/overview', AbortSignal.timeout(1000))).toEqual({
      notRunning: 'stopped',
    });
    expect(await ui(404, 'starting').ui.get('/', AbortSignal.timeout(1000))).toEqual({
      notRunning: 'starting',
    });
    // A running session's 404 is Flink's own (an unknown job, say).
    expect(await ui(404, 'running').ui.get('/jobs/x', AbortSignal.timeout(1000))).toMatchObject({
      status: 404,
    });
  });
});

describe("a jar staged into a Kubernetes session's folder", () => {
  const made: string[] = [];
  const tmp = () => {
    made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'stage-')));
    return made.at(-1)!;
  };
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('is named by its sha256: the same content under two names is staged once, and read back whole', () => {
    const from = tmp();
    const dir = path.join(tmp(), 'jars');
    const bytes = randomBytes(5000);
    fs.writeFileSync(path.join(from, 'udfs-1.jar'), bytes);
    fs.writeFileSync(path.join(from, 'udfs-2.jar'), bytes);
    const a = stageJarInto(dir, path.join(from, 'udfs-1.jar'), 's', sha(bytes));
    const b = stageJarInto(dir, path.join(from, 'udfs-2.jar'), 's', sha(bytes));
    expect(a).toBe(path.join(dir, `${sha(bytes)}.jar`));
    expect(b).toBe(a);
    expect(fs.readdirSync(dir)).toEqual([`${sha(bytes)}.jar`]);
    expect(fs.readFileSync(a).equals(bytes)).toBe(true);
    // A staged copy changed since is replaced by the stored bytes.
    fs.writeFileSync(a, 'damaged');
    expect(stageJarInto(dir, path.join(from, 'udfs-1.jar'), 's', sha(bytes))).toBe(a);
    expect(fs.readFileSync(a).equals(bytes)).toBe(true);
  });

  it('whose bytes do not hash to its sha256 is refused, and nothing is left in the folder', () => {
    const from = path.join(tmp(), 'udfs.jar');
    const dir = path.join(tmp(), 'jars');
    fs.writeFileSync(from, 'changed outside Sluice');
    const expected = 'ab'.repeat(32);
    expect(() => stageJarInto(dir, from, 'k8s-session', expected)).toThrow(
      `the copy of ${from} for session cluster k8s-session has sha256 ${sha(Buffer.from('changed outside Sluice'))}, not ${expected}: the stored artifact was changed outside Sluice; nothing was staged or added. Upload the artifact again`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("an engine's connector keeps its versioned name", () => {
    const from = path.join(tmp(), 'kafka-clients-3.4.0.jar');
    const dir = path.join(tmp(), 'jars');
    fs.writeFileSync(from, 'kafka');
    expect(stageJarInto(dir, from, 's')).toBe(path.join(dir, 'kafka-clients-3.4.0.jar'));
  });
});
