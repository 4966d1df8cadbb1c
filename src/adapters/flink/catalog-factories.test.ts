import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildCatalogJar } from '../../../test/support/catalog-jar.ts';
import { scanCatalogFactories } from './catalog-factories.ts';

const libJars = (home: string) =>
  fs
    .readdirSync(path.join(home, 'lib'))
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => path.join(home, 'lib', f));

describe('catalog factories read from the jars of an engine', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-catalog-jar-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds exactly the catalog types of the provisioned engine: no hive, paimon, iceberg or hudi', () => {
    const scan = scanCatalogFactories(libJars(inject('engineHome')));
    expect(scan).toEqual({
      factories: [
        {
          type: 'generic_in_memory',
          factoryClass: 'org.apache.flink.table.catalog.GenericInMemoryCatalogFactory',
          jar: 'flink-table-api-java-1.20.3.jar',
        },
        {
          type: 'jdbc',
          factoryClass: 'org.apache.flink.connector.jdbc.core.database.catalog.factory.JdbcCatalogFactory',
          jar: 'flink-connector-jdbc-core-3.3.0-1.20.jar',
        },
      ],
      unreadable: [],
    });
  });

  it('finds a factory that implements CatalogFactory through its superclass and inherits its identifier', () => {
    const jar = buildCatalogJar(dir, inject('engineHome'), { computed: true });
    const scan = scanCatalogFactories([...libJars(inject('engineHome')), jar]);
    expect(scan.factories.map((f) => f.type)).toEqual(['acme', 'generic_in_memory', 'jdbc']);
    expect(scan.factories[0]).toEqual({
      type: 'acme',
      factoryClass: 'dev.sluice.test.AcmeCatalogFactory',
      jar: 'acme-computed-connector.jar',
    });
    // Its identifier is not a constant: it is reported, not guessed.
    expect(scan.unreadable).toEqual([
      {
        factoryClass: 'dev.sluice.test.ComputedCatalogFactory',
        jar: 'acme-computed-connector.jar',
        reason: 'its factoryIdentifier() does not return a constant',
      },
    ]);
  });

  it('skips what is not a jar and jars without factories', () => {
    const notAJar = path.join(dir, 'broken.jar');
    fs.writeFileSync(notAJar, 'not a zip file');
    expect(scanCatalogFactories([notAJar])).toEqual({ factories: [], unreadable: [] });
  });
});
