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
  /**
   * Flink plugins (each jar alone in `plugins/<folder>/`, loaded by Flink's plugin class loader),
   * resolved with the rest when an installation is assembled, and added by a step of their own to an
   * engine assembled before a plugin joined the recipe, which gains it without being assembled again.
   */
  plugins: FlinkPlugin[];
}

export interface FlinkPlugin {
  /** The folder under `plugins/`, as Flink's own distribution names it. */
  folder: string;
  coordinate: MavenCoordinate;
}

/** Flink's Prometheus reporter, in the folder where Flink's distribution and its images keep it. */
export const PROMETHEUS_REPORTER_PLUGIN_FOLDER = 'metrics-prometheus';
export const PROMETHEUS_REPORTER_FACTORY = 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory';

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

/**
 * The JDBC connector and its PostgreSQL dialect: one `flink-connector-jdbc` jar up to 3.2 (the only
 * line built for 1.19), split into `-core` and one module per database from 3.3 on.
 */
type JdbcConnector = { split: boolean; version: string };

function recipe(
  minor: string,
  flinkVersion: string,
  connectors: { kafka: string; jdbc: JdbcConnector; postgresDriver: string },
  logging: { log4j: string; slf4jBinding: 'log4j-slf4j-impl' | 'log4j-slf4j2-impl' },
  gateway: string[],
  /**
   * flink-container (Flink's standalone application entry point: three classes over flink-clients and
   * flink-runtime), which local application clusters start. Maven Central here serves it for fewer
   * releases than the other modules: the nearest release of the same minor, taken without dependencies;
   * null where no release of the minor is served (1.19): its engine runs session clusters only.
   */
  container: string | null,
) {
  // The JDBC connector depends on an older flink-connector-base whose classes flink-connector-files
  // already carries (shaded) in this Flink version.
  const jdbc = (artifactId: string) => ({
    ...flink(artifactId, connectors.jdbc.version),
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
      ...(container ? [{ ...flink('flink-container', container), exclude: ['*:*'] }] : []),
      flink('flink-connector-kafka', connectors.kafka),
      ...(connectors.jdbc.split
        ? [jdbc('flink-connector-jdbc-core'), jdbc('flink-connector-jdbc-postgres')]
        : [jdbc('flink-connector-jdbc')]),
      { groupId: 'org.postgresql', artifactId: 'postgresql', version: connectors.postgresDriver },
      ...[logging.slf4jBinding, 'log4j-core', 'log4j-api', 'log4j-1.2-api'].map((a) =>
        log4j(a, logging.log4j),
      ),
    ],
    opt: gateway.map((a) => flink(a, flinkVersion)),
    // Self-contained (the Prometheus client is inside it), so it is taken without dependencies.
    plugins: [
      {
        folder: PROMETHEUS_REPORTER_PLUGIN_FOLDER,
        coordinate: { ...flink('flink-metrics-prometheus', flinkVersion), exclude: ['*:*'] },
      },
    ],
  } satisfies FlinkDistributionRecipe;
}

/**
 * Only versions whose recipe was resolved and run here are listed; others are refused by name. Each is
 * the newest patch release for which Maven Central serves every module of the recipe (checked
 * 2026-12-02): flink-sql-gateway 1.19.2 and 1.19.3 are not served, so 1.19 is 1.19.1; flink-csv and
 * flink-sql-gateway-api 2.2.1 are not served, so 2.2 is 2.2.0. The connectors are the newest built for
 * the minor: Kafka 3.3.0-1.19 / 5.0.0-2.2; JDBC 3.2.0-1.19 (3.3 has no 1.19 build) and 4.0.0-2.0 (the
 * only 2.x build). flink-sql-gateway carries the classes of flink-sql-gateway-api (shaded), which is
 * not served for 1.19.1 nor 2.2.0, so those two engines' opt/ has the gateway jar alone. flink-container
 * is served for no 1.19 release (1.19.0 to 1.19.3 refused) and for 2.2.1 but not 2.2.0.
 */
const RECIPES: Record<string, FlinkDistributionRecipe> = {
  '1.19': recipe(
    '1.19',
    '1.19.1',
    { kafka: '3.3.0-1.19', jdbc: { split: false, version: '3.2.0-1.19' }, postgresDriver: '42.7.3' },
    { log4j: '2.24.3', slf4jBinding: 'log4j-slf4j-impl' },
    ['flink-sql-gateway'],
    null,
  ),
  '1.20': recipe(
    '1.20',
    '1.20.3',
    { kafka: '3.4.0-1.20', jdbc: { split: true, version: '3.3.0-1.20' }, postgresDriver: '42.7.3' },
    { log4j: '2.24.3', slf4jBinding: 'log4j-slf4j-impl' },
    ['flink-sql-gateway', 'flink-sql-gateway-api'],
    '1.20.0',
  ),
  '2.2': recipe(
    '2.2',
    '2.2.0',
    { kafka: '5.0.0-2.2', jdbc: { split: true, version: '4.0.0-2.0' }, postgresDriver: '42.7.3' },
    { log4j: '2.24.3', slf4jBinding: 'log4j-slf4j-impl' },
    ['flink-sql-gateway'],
    '2.2.1',
  ),
};

export const DEFAULT_ENGINE_VERSION = '1.20';

export function supportedEngineVersions(): string[] {
  return Object.keys(RECIPES);
}

/** The versions as a refusal names them: `1.19, 1.20, 2.2 (2.x: 2.2)`. */
export function supportedEngineVersionsText(): string {
  const majors = [...new Set(Object.values(RECIPES).map((r) => r.minor.split('.')[0]!))];
  const aliases = majors.map((m) => `${m}.x: ${distributionRecipe(`${m}.x`)!.minor}`);
  return `${supportedEngineVersions().join(', ')} (${aliases.join(', ')})`;
}

/** Accepts `1.20`, `1.20.3`, or `2.x` for the newest recipe of a major version. */
export function distributionRecipe(version: string): FlinkDistributionRecipe | undefined {
  const major = /^(\d+)\.x$/.exec(version)?.[1];
  if (major !== undefined)
    return Object.values(RECIPES)
      .filter((r) => r.minor.split('.')[0] === major)
      .sort((a, b) => Number(b.minor.split('.')[1]) - Number(a.minor.split('.')[1]))[0];
  const minor = version.split('.').slice(0, 2).join('.');
  const found = RECIPES[minor];
  if (!found) return undefined;
  if (version !== minor && version !== found.flinkVersion) return undefined;
  return found;
}
