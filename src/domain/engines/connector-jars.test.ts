import { describe, expect, it } from 'vitest';
import { connectorJars, namedConnectors, scriptStatements } from './connector-jars.ts';

// The engine lib of 1.20 as provisioned (flink-distribution.ts), in part, and 1.19's single JDBC jar.
const LIB_120 = [
  '/e/lib/flink-clients-1.20.3.jar',
  '/e/lib/flink-connector-datagen-1.20.3.jar',
  '/e/lib/flink-connector-files-1.20.3.jar',
  '/e/lib/flink-connector-jdbc-core-3.3.0-1.20.jar',
  '/e/lib/flink-connector-jdbc-postgres-3.3.0-1.20.jar',
  '/e/lib/flink-connector-kafka-3.4.0-1.20.jar',
  '/e/lib/flink-json-1.20.3.jar',
  '/e/lib/kafka-clients-3.4.0.jar',
  '/e/lib/lz4-java-1.8.0.jar',
  '/e/lib/postgresql-42.7.3.jar',
];
const LIB_119 = [
  '/e/lib/flink-connector-jdbc-3.2.0-1.19.jar',
  '/e/lib/flink-connector-kafka-3.3.0-1.19.jar',
  '/e/lib/kafka-clients-3.4.0.jar',
  '/e/lib/postgresql-42.7.3.jar',
];

const KAFKA_JOB = `
SET 'parallelism.default' = '1';
CREATE TABLE orders (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 'o', 'format' = 'json');
CREATE TEMPORARY TABLE totals (id BIGINT, PRIMARY KEY (id) NOT ENFORCED)
  WITH ('connector' = 'Upsert-Kafka', 'topic' = 't', 'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE out_print (id BIGINT) WITH ('connector' = 'print');
INSERT INTO out_print SELECT id FROM orders;`;

describe("a SQL job's connectors", () => {
  it('are what its CREATE TABLE statements name, lower case, each once, and its catalogs’ types', () => {
    expect(
      namedConnectors([
        ...scriptStatements(KAFKA_JOB),
        "CREATE CATALOG pg WITH ('type' = 'jdbc', 'base-url' = 'jdbc:postgresql://db:5432')",
      ]),
    ).toEqual({ tables: ['kafka', 'upsert-kafka', 'print'], catalogs: ['jdbc'] });
    expect(namedConnectors(scriptStatements('SELECT 1;'))).toEqual({ tables: [], catalogs: [] });
  });

  it('a Kafka table ships the Kafka connector and kafka-clients, once for both Kafka connectors', () => {
    const r = connectorJars(namedConnectors(scriptStatements(KAFKA_JOB)), LIB_120);
    expect(r.jars).toEqual(['/e/lib/flink-connector-kafka-3.4.0-1.20.jar', '/e/lib/kafka-clients-3.4.0.jar']);
    expect(r.shipped).toEqual(['Kafka connector (kafka, upsert-kafka)']);
    expect(r.missing).toEqual([]);
  });

  it('a JDBC table ships the JDBC connector jars of its engine and the PostgreSQL driver', () => {
    const named = namedConnectors([
      "CREATE TABLE t (id INT) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://db/x', 'table-name' = 't')",
    ]);
    expect(connectorJars(named, LIB_120).jars).toEqual([
      '/e/lib/flink-connector-jdbc-core-3.3.0-1.20.jar',
      '/e/lib/flink-connector-jdbc-postgres-3.3.0-1.20.jar',
      '/e/lib/postgresql-42.7.3.jar',
    ]);
    expect(connectorJars(named, LIB_119).jars).toEqual([
      '/e/lib/flink-connector-jdbc-3.2.0-1.19.jar',
      '/e/lib/postgresql-42.7.3.jar',
    ]);
  });

  it("a JDBC catalog's type ships the JDBC connector, which holds the catalog", () => {
    const r = connectorJars({ tables: [], catalogs: ['jdbc'] }, LIB_120);
    expect(r.jars.map((j) => j.split('/').at(-1))).toEqual([
      'flink-connector-jdbc-core-3.3.0-1.20.jar',
      'flink-connector-jdbc-postgres-3.3.0-1.20.jar',
      'postgresql-42.7.3.jar',
    ]);
    expect(r.shipped).toEqual(['JDBC connector (catalog type jdbc)']);
  });

  it("ships nothing for connectors in every Flink's own lib, or that the engine does not carry", () => {
    const r = connectorJars(
      { tables: ['print', 'datagen', 'filesystem', 'elasticsearch-7'], catalogs: [] },
      LIB_120,
    );
    expect(r).toEqual({ jars: [], shipped: [], missing: [] });
  });

  it('says which connector jars an engine lib lacks (a registered engine)', () => {
    const r = connectorJars({ tables: ['kafka'], catalogs: [] }, [
      '/e/lib/flink-connector-kafka-3.4.0-1.20.jar',
    ]);
    expect(r.jars).toEqual(['/e/lib/flink-connector-kafka-3.4.0-1.20.jar']);
    expect(r.missing).toEqual([{ connector: 'kafka', pattern: '^kafka-clients-\\d[^/]*\\.jar$' }]);
  });
});
