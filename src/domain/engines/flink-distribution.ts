/**
 * What a Flink installation is made of, per supported minor version. Sluice assembles it from the
 * Flink modules published to Maven Central (this machine's Maven Central has no `flink-dist` or
 * `flink-table-api-java-uber` jar for 1.19/1.20, so the runtime classpath is the modules those fat jars
 * shade, resolved transitively, exactly as an IDE run of Flink uses them).
 */
export interface MavenCoordinate {
  groupId: string;
  artifactId: string;
  version: string;
  /** `groupId:artifactId` of dependencies to leave out (classes another jar already carries). */
  exclude?: string[];
}

export interface FlinkDistributionRecipe {
  /** The version users type: `1.20`. */
  minor: string;
  /** The exact release installed: `1.20.3`. */
  flinkVersion: string;
  /** Resolved with their runtime dependencies into `lib/`. */
  lib: MavenCoordinate[];
  /** Copied without dependencies into `opt/` (the SQL Gateway is only on the gateway's classpath). */
  opt: MavenCoordinate[];
}

const flink = (artifactId: string, version: string): MavenCoordinate => ({
  groupId: 'org.apache.flink',
  artifactId,
  version,
});
const log4j = (artifactId: string, version: string): MavenCoordinate => ({
  groupId: 'org.apache.logging.log4j',
  artifactId,
  version,
});

function recipe(
  minor: string,
  flinkVersion: string,
  connectors: { kafka: string; jdbc: string; postgresDriver: string },
  log4jVersion: string,
  /**
   * flink-container (Flink's standalone application entry point: three classes over flink-clients and
   * flink-runtime), which local application clusters start. Maven Central here serves it for fewer
   * releases than the other modules: the nearest release of the same minor, taken without dependencies.
   */
  container: string,
) {
  // The JDBC connector depends on an older flink-connector-base whose classes flink-connector-files
  // already carries (shaded) in this Flink version.
  const jdbc = (artifactId: string) => ({
    ...flink(artifactId, connectors.jdbc),
    exclude: ['org.apache.flink:flink-connector-base'],
  });
  const modules = [
    'flink-clients',
    'flink-runtime-web',
    'flink-table-api-java-bridge',
    'flink-table-runtime',
    'flink-table-planner-loader',
    'flink-connector-files',
    'flink-connector-datagen',
    'flink-json',
    'flink-csv',
    'flink-cep',
    // flink-dist carries the RocksDB state backend; large state needs it (state.backend.type: rocksdb).
    'flink-statebackend-rocksdb',
  ];
  return {
    minor,
    flinkVersion,
    lib: [
      ...modules.map((m) => flink(m, flinkVersion)),
      { ...flink('flink-container', container), exclude: ['*:*'] },
      flink('flink-connector-kafka', connectors.kafka),
      jdbc('flink-connector-jdbc-core'),
      jdbc('flink-connector-jdbc-postgres'),
      { groupId: 'org.postgresql', artifactId: 'postgresql', version: connectors.postgresDriver },
      ...['log4j-slf4j-impl', 'log4j-core', 'log4j-api', 'log4j-1.2-api'].map((a) => log4j(a, log4jVersion)),
    ],
    opt: [flink('flink-sql-gateway', flinkVersion), flink('flink-sql-gateway-api', flinkVersion)],
  } satisfies FlinkDistributionRecipe;
}

/** Only versions whose recipe was resolved and run here are listed; others are refused by name. */
const RECIPES: Record<string, FlinkDistributionRecipe> = {
  '1.20': recipe(
    '1.20',
    '1.20.3',
    { kafka: '3.4.0-1.20', jdbc: '3.3.0-1.20', postgresDriver: '42.7.3' },
    '2.24.3',
    '1.20.0',
  ),
};

export const DEFAULT_ENGINE_VERSION = '1.20';

export function supportedEngineVersions(): string[] {
  return Object.keys(RECIPES);
}

/** Accepts `1.20` or `1.20.3`. */
export function distributionRecipe(version: string): FlinkDistributionRecipe | undefined {
  const minor = version.split('.').slice(0, 2).join('.');
  const found = RECIPES[minor];
  if (!found) return undefined;
  if (version !== minor && version !== found.flinkVersion) return undefined;
  return found;
}
