import { SluiceError } from '../errors.ts';
import { message, type Message } from '../messages.ts';

/** A catalog type an engine has: a `CatalogFactory` on its classpath and the jar that carries it. */
export interface CatalogType {
  /** What `'type' = '...'` of CREATE CATALOG names. */
  type: string;
  factoryClass: string;
  jar: string;
}

/** What `sluice catalog set --type` may name on a cluster, and how to add what is missing. */
export interface CatalogTypes {
  /** The engine (Flink minor version) whose jars were read, or whose cluster is remote. */
  engineVersion: string;
  /**
   * The types found in the engine's jars; null when Sluice cannot see the jars (a remote cluster):
   * then Flink alone decides, when the catalog is created.
   */
  types: CatalogType[] | null;
  /** Catalog factories whose identifier could not be read without running them: Flink still has them. */
  unreadable: { factoryClass: string; jar: string; reason: string }[];
  /** The engine's lib/ folder, where a connector's jar goes; null for a remote cluster. */
  libDir: string | null;
  /** How to add a type, in plain words (English). */
  howToAdd: string;
  /** The same as a message code, for a client to say in its language. */
  howToAddMessage: Message;
  /** The connectors most asked for that this engine lacks, with the Maven artifact to put into lib/. */
  missing: CatalogConnector[];
}

export interface CatalogConnector {
  type: string;
  /** groupId:artifactId on Maven Central. */
  artifact: string;
  /** Which of its versions fits the engine. */
  version: string;
  /** What else it needs, or null. */
  needs: string | null;
}

/**
 * Catalog connectors that are not part of the engine Sluice provisions, and where each comes from for a
 * Flink minor version (checked against Maven Central for 1.20: the Hive connector is released with
 * Flink itself, the others by their projects, one artifact per Flink minor version).
 */
export function knownCatalogConnectors(flinkMinor: string): CatalogConnector[] {
  const built = `a release built for Flink ${flinkMinor}`;
  return [
    {
      type: 'hive',
      artifact: 'org.apache.flink:flink-sql-connector-hive-3.1.3_2.12',
      version: `${flinkMinor}.x, as the engine`,
      needs: 'a Hive metastore and a Hadoop configuration (hive-conf-dir)',
    },
    { type: 'paimon', artifact: `org.apache.paimon:paimon-flink-${flinkMinor}`, version: built, needs: null },
    {
      type: 'iceberg',
      artifact: `org.apache.iceberg:iceberg-flink-runtime-${flinkMinor}`,
      version: built,
      needs: "Hadoop's client jars for its hadoop and hive catalogs",
    },
    {
      type: 'hudi',
      artifact: `org.apache.hudi:hudi-flink${flinkMinor}-bundle`,
      version: built,
      needs: "Hadoop's client jars",
    },
  ];
}

/** One line: which jar, which version, what else. */
export const describeConnector = (c: CatalogConnector): string =>
  `${c.artifact} (${c.version})${c.needs ? `, which also needs ${c.needs}` : ''}`;

export function howToAddCatalogType(libDir: string | null): Message {
  return libDir ? message('catalog.howToAdd', { libDir }) : message('catalog.howToAddRemote');
}

/** A type the engine lacks, refused before anything runs: what is available, and how to add it. */
export function checkCatalogType(type: string, available: CatalogTypes): void {
  if (available.types === null || available.unreadable.length > 0) return; // Flink alone can tell
  if (available.types.some((t) => t.type === type)) return;
  const names = [...new Set(available.types.map((t) => t.type))];
  const connector = available.missing.find((c) => c.type === type);
  const params = {
    type,
    engine: available.engineVersion,
    available: names.join(', '),
    howToAdd: available.howToAddMessage,
  };
  throw new SluiceError(
    'invalid_argument',
    connector
      ? message('catalog.typeMissingConnector', { ...params, connector: describeConnector(connector) })
      : message('catalog.typeMissing', params),
    { field: 'type', available: names },
  );
}
