import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogTypes } from '../../src/domain/engines/catalog-types.ts';
import { buildCatalogJar, engineCopy } from '../support/catalog-jar.ts';
import { runSluice, serveApi } from '../support/cli.ts';
import { testPlatform, type TestPlatform } from '../support/platform.ts';

/**
 * The catalog types offered are those the engine has: read from its jars, refused by name before
 * anything runs, and extended the way the platform says (a connector jar in the engine's lib/, then a
 * cluster restart). A real server, the real CLI, a real local cluster on a copy of the run's engine.
 */
describe('catalog types of an engine', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let home: string;
  const api = async (method: 'GET' | 'PUT' | 'POST', p: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url: `/api/v1${p}`, ...(payload === undefined ? {} : { payload }) });
  const sluice = (...args: string[]) => runSluice(url, args);

  beforeAll(async () => {
    t = await testPlatform();
    // The engine's lib/ changes below: a copy of the run's engine, so no other test sees it.
    home = engineCopy(inject('engineHome'), path.join(t.home, 'engine-copy'));
    await t.platform.store.engines.remove('1.20');
    await t.platform.engines.register(home);
    await t.platform.targets.define({
      name: 'local-1.20',
      engineVersion: '1.20',
      ...(await t.clusterSettings()),
    });
    ({ app, url } = await serveApi(t.platform));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('lists generic_in_memory and jdbc, and how to add hive, paimon, iceberg or hudi', async () => {
    const r = await api('GET', '/engines/1.20/catalog-types');
    expect(r.statusCode).toBe(200);
    const types = r.json<CatalogTypes>();
    expect(types.types?.map((x) => x.type)).toEqual(['generic_in_memory', 'jdbc']);
    expect(types.missing.map((m) => m.type)).toEqual(['hive', 'paimon', 'iceberg', 'hudi']);
    expect(types.libDir).toBe(path.join(home, 'lib'));
    expect((await api('GET', '/catalog-types')).json()).toEqual(types); // the default cluster's engine
    expect((await api('GET', '/catalog-types?target=local-1.20')).json()).toEqual(types);

    const cli = await sluice('catalog', 'types');
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      /^TYPE\s+JAR\s+FACTORYCLASS\ngeneric_in_memory\s+flink-table-api-java-1\.20\.3\.jar/,
    );
    expect(cli.stdout).toContain(`put the jar into ${path.join(home, 'lib')} and restart`);
    expect(cli.stdout).toContain(
      'paimon: org.apache.paimon:paimon-flink-1.20 (a release built for Flink 1.20)',
    );
  });

  it('refuses a type the engine lacks, naming those it has, without starting a cluster or saving', async () => {
    const r = await api('PUT', '/catalogs/lake', { type: 'paimon', options: { warehouse: 'file:///tmp/w' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'invalid_argument',
      details: { field: 'type', available: ['generic_in_memory', 'jdbc'] },
    });
    expect(r.json().error.message).toContain(
      "catalog type 'paimon' is not available on engine 1.20: it has generic_in_memory, jdbc. For paimon, add the jar of org.apache.paimon:paimon-flink-1.20",
    );
    const cli = await sluice('catalog', 'set', 'hms', '--type', 'hive');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(
      "catalog type 'hive' is not available on engine 1.20: it has generic_in_memory, jdbc",
    );
    expect(cli.stderr).toContain('org.apache.flink:flink-sql-connector-hive-3.1.3_2.12');
    expect((await api('GET', '/catalogs')).json()).toEqual([]);
    expect((await t.platform.targets.status('local-1.20')).state).toBe('stopped');
  });

  it(
    'offers a type once its connector jar is in lib/, and a restarted cluster creates that catalog',
    { timeout: 600_000 },
    async () => {
      const start = await sluice('cluster', 'start', 'local-1.20');
      expect(start.code, start.stderr).toBe(0);
      const jar = buildCatalogJar(path.join(t.home, 'connector'), home);
      fs.copyFileSync(jar, path.join(home, 'lib', path.basename(jar)));
      const types = (await api('GET', '/catalog-types')).json<CatalogTypes>();
      expect(types.types).toContainEqual({
        type: 'acme',
        factoryClass: 'dev.sluice.test.AcmeCatalogFactory',
        jar: 'acme-connector.jar',
      });
      // The running cluster was started without the jar: Flink says so, and nothing is saved.
      const before = await sluice('catalog', 'set', 'acme', '--type', 'acme');
      expect(before.code).toBe(1);
      expect(before.stderr).toContain("Could not find any factory for identifier 'acme'");
      // As the platform says: restart the engine's clusters.
      expect((await sluice('cluster', 'stop', 'local-1.20')).code).toBe(0);
      expect((await sluice('cluster', 'start', 'local-1.20')).code).toBe(0);
      const after = await sluice('catalog', 'set', 'acme', '--type', 'acme');
      expect(after.code, after.stderr).toBe(0);
      expect((await sluice('catalog', 'browse', 'acme')).stdout.trim()).toBe('acme_db');
    },
  );
});
