import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { createDatabase } from '../../test/support/postgres.ts';
import { DIALECTS } from '../../test/support/stores.ts';
import { buildUdfJar } from '../../test/support/udf-jar.ts';

/** The artifact service over a real store and disk: versions under concurrency, and uses by JAR job contents. */
describe.each(DIALECTS)('ArtifactService on %s', (dialect) => {
  let t: TestPlatform;
  let jar: Buffer;
  let scratch: string;

  beforeAll(async () => {
    t = await testPlatform(
      dialect === 'postgres'
        ? { databaseUrl: await createDatabase(inject('postgresAdminUrl'), `sluice_artifacts_${process.pid}`) }
        : {},
    );
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-artifact-service-'));
    jar = fs.readFileSync(buildUdfJar(scratch, inject('engineHome')));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('gives concurrent uploads of one name distinct versions, and stores the bytes once', async () => {
    const svc = t.platform.artifacts;
    const saved = await Promise.all(
      Array.from({ length: 5 }, () => svc.upload({ bytes: jar, fileName: 'x-1.0.jar' }, 'test')),
    );
    expect(saved.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(saved.map((v) => v.sha256)).size).toBe(1);
    expect(
      fs
        .readdirSync(path.join(t.home, 'artifacts', 'sha256'), { recursive: true })
        .filter((f) => String(f).endsWith('.jar')),
    ).toHaveLength(1);
  });

  it('finds uses in every content kind a stored job version holds: jar and classpath too', async () => {
    const svc = t.platform.artifacts;
    await svc.upload({ bytes: jar, fileName: 'app.jar' }, 'test');
    await svc.upload({ bytes: jar, fileName: 'lib.jar' }, 'test');
    // A JAR job's version as the core stores it (its content union lands beside this work).
    const db = t.platform.store.db;
    await db
      .insertInto('jobs')
      .values({
        id: 'j1',
        name: 'jar-job',
        description: '',
        kind: 'jar',
        sql: '',
        options: '{}',
        parallelism: 1,
        engine_version: '1.20',
        target_name: 'local-1.20',
        flink_job_id: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        restart_policy: '{"kind":"none"}',
      })
      .execute();
    await db
      .insertInto('job_versions')
      .values({
        job_id: 'j1',
        number: 1,
        author: 'test',
        message: '',
        content_hash: 'h',
        content: JSON.stringify({
          kind: 'jar',
          jar: { name: 'app', version: 1 },
          entryClass: null,
          args: [],
          classpath: [{ name: 'lib', version: 1 }],
        }),
        created_at: new Date().toISOString(),
      })
      .execute();
    await expect(svc.delete('app', null)).rejects.toThrow('artifact app is used by job(s) jar-job (v1)');
    await expect(svc.delete('lib', 1)).rejects.toThrow(
      'version 1 of artifact lib is used by job(s) jar-job (v1)',
    );
    // 'x' is named nowhere (its name is a substring of none of the references above).
    expect((await svc.delete('x', null)).removedVersions).toEqual([1, 2, 3, 4, 5]);
  });

  it('pins a bare name to the latest version and refuses unknown names and versions', async () => {
    const svc = t.platform.artifacts;
    await svc.upload({ bytes: jar, fileName: 'app.jar' }, 'test');
    expect(await svc.pin(['app', 'lib@1', 'app@2'])).toEqual([
      { name: 'app', version: 2 },
      { name: 'lib', version: 1 },
    ]);
    await expect(svc.pin(['nope'])).rejects.toThrow("artifact 'nope' does not exist");
    await expect(svc.pin(['lib@9'])).rejects.toThrow('artifact lib has no version 9: its versions are 1');
    await expect(svc.pin(['lib@x'])).rejects.toThrow("'lib@x' is not an artifact reference");
  });

  it('says where the bytes of a version were when the storage lost them', async () => {
    const svc = t.platform.artifacts;
    const v = await svc.upload({ bytes: jar, fileName: 'lost-1.0.jar' }, 'test');
    const file = (await svc.file('lost', v.version)).path;
    expect(file).toBe(path.join(t.home, 'artifacts', 'sha256', v.sha256.slice(0, 2), `${v.sha256}.jar`));
    fs.rmSync(file);
    await expect(svc.file('lost', v.version)).rejects.toThrow(
      `the file of artifact lost@1 is missing from the artifact storage (${file}): upload it again`,
    );
    await expect(svc.entryClassIn({ name: 'lost', version: 1 }, 'dev.sluice.udf.Helper')).rejects.toThrow(
      `the file of artifact lost@1 is missing from the artifact storage (${file})`,
    );
    // Uploading the bytes again puts them back for every version that has them.
    await svc.upload({ bytes: jar, fileName: 'lost-1.0.jar' }, 'test');
    expect(fs.existsSync((await svc.file('lost', 1)).path)).toBe(true);
  });
});
