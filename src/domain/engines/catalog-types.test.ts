import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { renderMessage } from '../messages.ts';
import {
  checkCatalogType,
  describeConnector,
  howToAddCatalogType,
  knownCatalogConnectors,
  type CatalogTypes,
} from './catalog-types.ts';

const engine = (over: Partial<CatalogTypes> = {}): CatalogTypes => ({
  engineVersion: '1.20',
  types: [
    { type: 'generic_in_memory', factoryClass: 'G', jar: 'flink-table-api-java-1.20.3.jar' },
    { type: 'jdbc', factoryClass: 'J', jar: 'flink-connector-jdbc-core-3.3.0-1.20.jar' },
  ],
  unreadable: [],
  libDir: '/engines/flink-1.20.3/lib',
  howToAdd: renderMessage(howToAddCatalogType('/engines/flink-1.20.3/lib')),
  howToAddMessage: howToAddCatalogType('/engines/flink-1.20.3/lib'),
  missing: knownCatalogConnectors('1.20'),
  ...over,
});

const refusal = (type: string, available: CatalogTypes): SluiceError => {
  try {
    checkCatalogType(type, available);
  } catch (e) {
    return e as SluiceError;
  }
  throw new Error(`${type} was accepted`);
};

describe('catalog types', () => {
  it('accepts a type the engine has', () => {
    expect(() => checkCatalogType('jdbc', engine())).not.toThrow();
    expect(() => checkCatalogType('generic_in_memory', engine())).not.toThrow();
  });

  it('refuses one it lacks, naming those it has, the jar to add and where it goes', () => {
    const e = refusal('paimon', engine());
    expect(e.code).toBe('invalid_argument');
    expect(e.details).toEqual({ field: 'type', available: ['generic_in_memory', 'jdbc'] });
    expect(e.message).toContain(
      "catalog type 'paimon' is not available on engine 1.20: it has generic_in_memory, jdbc.",
    );
    expect(e.message).toContain('org.apache.paimon:paimon-flink-1.20 (a release built for Flink 1.20)');
    expect(e.message).toContain('put the jar into /engines/flink-1.20.3/lib and restart');
    expect(e.message).toContain('sluice engine add --home');
    // A type Sluice knows nothing about still gets the list and the way to add one.
    const other = refusal('nessie', engine());
    expect(other.message).toMatch(
      /it has generic_in_memory, jdbc\. A catalog type comes with its connector jar/,
    );
  });

  it('leaves the decision to Flink where the jars cannot tell', () => {
    expect(() => checkCatalogType('hive', engine({ types: null, libDir: null }))).not.toThrow();
    const unreadable = [{ factoryClass: 'x.Y', jar: 'y.jar', reason: 'computed' }];
    expect(() => checkCatalogType('hive', engine({ unreadable }))).not.toThrow();
  });

  it('names the Maven artifact of each common connector for the engine version', () => {
    expect(knownCatalogConnectors('1.20').map(describeConnector)).toEqual([
      'org.apache.flink:flink-sql-connector-hive-3.1.3_2.12 (1.20.x, as the engine), which also needs a Hive metastore and a Hadoop configuration (hive-conf-dir)',
      'org.apache.paimon:paimon-flink-1.20 (a release built for Flink 1.20)',
      "org.apache.iceberg:iceberg-flink-runtime-1.20 (a release built for Flink 1.20), which also needs Hadoop's client jars for its hadoop and hive catalogs",
      "org.apache.hudi:hudi-flink1.20-bundle (a release built for Flink 1.20), which also needs Hadoop's client jars",
    ]);
  });
});
