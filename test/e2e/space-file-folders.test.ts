import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { callApi } from '../support/http.ts';
import { howItEnded } from '../support/lifecycle.ts';
import { waitFor } from '../support/platform.ts';

const A = 'team-a';
const B = 'team-b';
const TARGET = 'local-1.20';

/** A job writing into `folder` through the filesystem connector, until stopped. */
const sinkInto = (
  folder: string,
) => `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://${folder}/orders', 'format' = 'csv');
INSERT INTO snk SELECT id FROM src;`;

/**
 * `file:` folders per space (issue 15 item 7) over HTTP and the CLI on the shared local Flink 1.20
 * session cluster: no folder is shared by every space here (SLUICE_ALLOWED_FILE_PATHS empty), team-a's
 * folder is one a platform admin listed, team-b has its default one. Team-b's developer is refused a
 * save naming team-a's folder (the message names team-b, its folders and the command), may not change
 * the folders, and its job inside team-b's folder is saved, started and writes there.
 */
describe("each space's file folders (Flink 1.20)", () => {
  let served: Awaited<ReturnType<typeof servedPlatform>>;
  let teamA: string;
  let teamB: string;
  let bob: string;
  const asBob = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${served.url}/api/v1${p}`, {
      method,
      headers: {
        authorization: `Bearer ${bob}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    served = await servedPlatform({ sharedLocalCluster: true, config: { allowedFilePaths: [] } });
    const p = served.t.platform;
    for (const s of [A, B]) await p.spaces.create(s, 'e2e');
    bob = (await p.access.addUser({ name: 'bob', admin: false, role: 'developer', space: B })).secret;
    teamA = path.join(served.t.home, 'team-a-data');
    teamB = path.join(served.t.home, 'files', B);
  }, 300_000);
  afterAll(async () => {
    await served?.close();
  }, 120_000);

  it("lists team-a's folders by an admin, shows them to members and refuses anyone else's change", async () => {
    const set = await runSluice(served.url, ['space', 'folders', A, '--set', `${teamA},/srv/../srv/x/`]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`space ${A}: ${teamA}, /srv/x`);
    const relative = await runSluice(served.url, ['space', 'folders', A, '--set', 'data/in']);
    expect(relative.code).not.toBe(0);
    expect(relative.stderr).toContain("folders: 'data/in' is not an absolute folder");
    expect((await callApi(served.url, 'GET', `/spaces/${A}/file-folders`)).json()).toEqual({
      space: A,
      set: true,
      folders: [teamA, '/srv/x'],
      shared: [],
    });

    // A member reads its space's folders (the default one here); it changes none, nor sees another space's.
    expect(await asBob('GET', `/spaces/${B}/file-folders`)).toEqual({
      status: 200,
      json: { space: B, set: false, folders: [teamB], shared: [] },
    });
    expect((await asBob('PUT', `/spaces/${B}/file-folders`, { folders: [teamA] })).status).toBe(403);
    expect((await asBob('GET', `/spaces/${A}/file-folders`)).status).toBe(404);

    // The change is in the audit log, with its space and what it was before.
    const log = (await callApi(served.url, 'GET', `/audit?space=${A}`)).json() as unknown as {
      entries: { operation: string; status: number; space: string; before: unknown; after: unknown }[];
    };
    const change = log.entries.find((r) => r.operation === 'spaces.setFileFolders' && r.status === 200);
    expect(change).toMatchObject({
      space: A,
      before: { folders: null },
      after: { folders: [teamA, '/srv/x'] },
    });
  });

  it("refuses team-b's save naming team-a's folder, and saves, starts and writes a job inside its own", async () => {
    const refused = await asBob('POST', '/jobs', { name: 'b-leak', space: B, sql: sinkInto(teamA) });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      error: {
        messageCode: 'sql.tableFileOutside',
        messageParams: { space: B, allowed: teamB, path: `file://${teamA}/orders` },
      },
    });
    expect(String((refused.json.error as { message: string }).message)).toContain(
      `ask a platform admin to add its folder to the space's folders (sluice space folders ${B} --set ${teamB},${teamA}/orders)`,
    );
    // The editor's check marks the value, in the job's space.
    const checked = await asBob('POST', '/sql/validate', { sql: sinkInto(teamA), asJob: true, space: B });
    expect(checked.status).toBe(200);
    expect(checked.json.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, text: `file://${teamA}/orders` }),
    ]);
    expect((await asBob('GET', '/jobs/b-leak')).status).toBe(404);
    const inside = await asBob('POST', '/sql/validate', { sql: sinkInto(teamB), asJob: true, space: B });
    expect(inside.json.problems).toEqual([]);

    // Inside team-b's folder: saved and run by an admin on the shared session cluster (which is in
    // space default, where team-b's developer may not run jobs).
    const created = await callApi(served.url, 'POST', '/jobs', {
      name: 'b-orders',
      space: B,
      sql: sinkInto(teamB),
      target: TARGET,
    });
    expect(created.status, created.text).toBe(201);
    const p = served.t.platform;
    const started = await p.jobs.start('b-orders', {}, 'e2e');
    await p.submissions.wait(started.id);
    const s = (await p.store.lifecycle.submission(started.id))!;
    expect(s.status, howItEnded(s)).toBe('succeeded');
    // The sink's files (in progress until a checkpoint) appear in team-b's folder.
    await waitFor('files in team-b folder', async () => {
      const dir = path.join(teamB, 'orders');
      return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    });
    const cancelled = await p.jobs.cancel('b-orders', 'e2e');
    await p.submissions.wait(cancelled.id);
  });
});
