/**
 * The engine's connector jars a SQL job needs where its cluster does not run the engine's own lib: a
 * Kubernetes pod runs the image's lib (the official `flink:<version>-java17` has no Kafka or JDBC
 * connector), so the jars of the connectors the job's tables name go with the job's own jars, taken
 * from the engine's lib (flink-distribution.ts puts them there).
 *
 * Pure: file names in, file names out.
 */
import { readCreateCatalog, parseCreateTable } from '../sql/table-ddl.ts';
import { splitStatements } from '../sql/statements.ts';

/** A connector of the engine's lib, by what `'connector' = '...'` (or a catalog's `'type'`) names. */
interface EngineConnector {
  /** The jars it needs, by file name in the engine's lib (`<artifactId>-<version>.jar`). */
  jars: RegExp[];
  /** What a log line calls it. */
  label: string;
}

const KAFKA: EngineConnector = {
  label: 'Kafka connector',
  // kafka-clients is a dependency of the connector, not inside its jar.
  jars: [/^flink-connector-kafka-\d[^/]*\.jar$/, /^kafka-clients-\d[^/]*\.jar$/],
};

const JDBC: EngineConnector = {
  label: 'JDBC connector',
  // One jar up to 3.2 (`flink-connector-jdbc-3.2.0-1.19`), `-core` and `-postgres` from 3.3 on; the
  // PostgreSQL driver is the one database driver the engine carries.
  jars: [/^flink-connector-jdbc(-[a-z]+)*-\d[^/]*\.jar$/, /^postgresql-\d[^/]*\.jar$/],
};

/** Table connectors by their factory identifier. */
const TABLE_CONNECTORS: Record<string, EngineConnector> = {
  kafka: KAFKA,
  'upsert-kafka': KAFKA,
  jdbc: JDBC,
};

/** Catalog types whose factory is in a connector's jar: the JDBC catalog is in the JDBC connector. */
const CATALOG_CONNECTORS: Record<string, EngineConnector> = { jdbc: JDBC };

/** What a script (and its catalogs) names: `connector` of each CREATE TABLE, `type` of each CREATE CATALOG. */
export interface NamedConnectors {
  /** Table connectors named, lower case, in the order first named. */
  tables: string[];
  /** Catalog types named, lower case. */
  catalogs: string[];
}

/**
 * The connectors the CREATE TABLE statements name and the types of the CREATE CATALOG statements,
 * among `statements` (a job's planned statements and its catalogs'). A table of a catalog names no
 * connector in the script: its catalog's type stands for it where it has a connector (jdbc).
 */
export function namedConnectors(statements: readonly string[]): NamedConnectors {
  const tables = new Set<string>();
  const catalogs = new Set<string>();
  for (const text of statements) {
    const table = parseCreateTable(text);
    const connector = table?.options['connector']?.trim().toLowerCase();
    if (connector) tables.add(connector);
    const catalog = table ? null : readCreateCatalog(text);
    const type = catalog?.options['type']?.trim().toLowerCase();
    if (type) catalogs.add(type);
  }
  return { tables: [...tables], catalogs: [...catalogs] };
}

/** The statements of a script, as `namedConnectors` takes them. */
export const scriptStatements = (script: string): string[] => splitStatements(script).map((s) => s.text);

/** The engine's jars for the named connectors, and the connectors whose jars its lib does not have. */
export interface ConnectorJars {
  /** Paths from `lib`, in lib's order, each once. */
  jars: string[];
  /** `Kafka connector (kafka, upsert-kafka)`: what is shipped, for the submission's log. */
  shipped: string[];
  /** Connectors named whose jars are missing from the engine's lib (a registered engine may lack them). */
  missing: { connector: string; pattern: string }[];
}

/**
 * The jars of `lib` (the engine's lib, paths) that the named connectors need. Connectors the engine
 * has no jars for at all (`print`, `datagen`, `filesystem` are in every Flink's own lib; others are
 * the job's artifacts) are not this function's: only those of the table above are looked for.
 */
export function connectorJars(named: NamedConnectors, lib: readonly string[]): ConnectorJars {
  const wanted = new Map<EngineConnector, string[]>();
  const add = (c: EngineConnector | undefined, name: string) => {
    if (c) wanted.set(c, [...(wanted.get(c) ?? []), name]);
  };
  for (const t of named.tables) add(TABLE_CONNECTORS[t], t);
  for (const t of named.catalogs) add(CATALOG_CONNECTORS[t], `catalog type ${t}`);
  const base = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const chosen = new Set<string>();
  const shipped: string[] = [];
  const missing: ConnectorJars['missing'] = [];
  for (const [c, names] of wanted) {
    for (const pattern of c.jars) {
      const found = lib.filter((p) => pattern.test(base(p)));
      if (!found.length) for (const n of names) missing.push({ connector: n, pattern: pattern.source });
      for (const f of found) chosen.add(f);
    }
    shipped.push(`${c.label} (${names.join(', ')})`);
  }
  return { jars: lib.filter((p) => chosen.has(p)), shipped, missing };
}
