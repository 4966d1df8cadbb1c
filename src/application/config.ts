import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { LDAP_VARIABLES, parseLdapSettings, type LdapSettings } from '../domain/access/ldap-settings.ts';
import { OIDC_VARIABLES, parseOidcSettings, type OidcSettings } from '../domain/access/oidc-settings.ts';
import { parseAllowedFilePaths } from '../domain/sql/file-paths.ts';
import {
  parseLogRetentionAge,
  parseLogRetentionRuns,
  type LogRetention,
} from '../domain/logs/log-retention.ts';
import { DEFAULT_ENGINE_VERSION } from '../domain/engines/flink-distribution.ts';
import { parseExternalListener, type ExternalListener } from '../domain/kafka/local-broker-config.ts';
import { parseAllowedHosts, parseAllowedOrigins } from '../domain/requests/request-origin.ts';
import { LOCAL_CLUSTER_DEFAULTS, type LocalClusterSpec } from '../domain/clusters/local-cluster-spec.ts';
import { parseArtifactStorage, type ArtifactStorageSettings } from '../domain/artifacts/storage-settings.ts';
import {
  parseClassSharingSetting,
  type ClassSharingSetting,
} from '../domain/clusters/class-sharing-setting.ts';
import { parsePrometheusSettings, type PrometheusSettings } from '../domain/metrics/prometheus-settings.ts';
import {
  parseAlertmanagerSettings,
  type AlertmanagerSettings,
} from '../domain/alerts/alertmanager-settings.ts';

/** Everything configurable, read once from the environment. */
export interface SluiceConfig {
  home: string;
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** Host names served beside localhost, IP addresses and `host` (SLUICE_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** Origins of other front-ends that may change things from a browser (SLUICE_ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  defaultEngineVersion: string;
  /** Provision the default engine and start its cluster when the server starts. */
  autoStart: boolean;
  mavenLocalRepository: string | undefined;
  mavenMirror: string | undefined;
  /** Artifacts: the largest jar accepted (SLUICE_ARTIFACT_MAX_BYTES). */
  artifactMaxBytes: number;
  /** The repository Maven coordinates of artifacts resolve from (SLUICE_ARTIFACT_MAVEN_REPOSITORY, else SLUICE_MAVEN_MIRROR). */
  artifactMavenRepository: string | undefined;
  /** A Maven settings.xml for resolving artifacts: credentials, proxies, mirrors (SLUICE_MAVEN_SETTINGS). */
  mavenSettingsFile: string | undefined;
  /** Where artifact bytes are kept: under the home, or an S3-compatible bucket (SLUICE_ARTIFACT_S3_*). */
  artifactStorage: ArtifactStorageSettings;
  /** The Prometheus that keeps metrics: run by Sluice, the user's own, or none (SLUICE_PROMETHEUS*). */
  prometheus: PrometheusSettings;
  /** The Alertmanager that routes alerts: run by Sluice, the user's own, or none (SLUICE_ALERTMANAGER*). */
  alertmanager: AlertmanagerSettings;
  /** The console's address as people reach it, for links in alert messages (SLUICE_PUBLIC_URL); null: no links. */
  publicUrl: string | null;
  clusterDefaults: Omit<LocalClusterSpec, 'name' | 'engineVersion'>;
  /**
   * Folders whose files every space's job SQL may name (`file:` paths, SLUICE_ALLOWED_FILE_PATHS),
   * beside each space's own (`<home>/files/<space>` unless a platform admin lists others); default none.
   */
  allowedFilePaths: string[];
  /** Savepoints of job N go to `<savepointDir>/<N>`. */
  savepointDir: string;
  /** Savepoints kept per job; older ones are deleted. */
  savepointRetention: number;
  /** How many jobs a target's profile switch upgrades at once (SLUICE_PROFILE_SWITCH_CONCURRENCY, at least 1). */
  profileSwitchConcurrency: number;
  /**
   * The logs of a job's past runs kept: the newest SLUICE_LOG_RETENTION_RUNS (SLUICE_POD_LOG_RUNS its
   * older name), none older than SLUICE_LOG_RETENTION; local-application run folders and Kubernetes
   * pod logs; a run still going is never deleted.
   */
  logRetention: LogRetention;
  /** How often the tracker asks each cluster for its jobs. */
  trackerIntervalMs: number;
  /** After the default cluster starts, run a tiny debug query so the first real one is fast. */
  warmSandbox: boolean;
  /** Key for secret variables (base64 of 32 bytes, or a passphrase); default: `<home>/secret.key`. */
  secretKey: string | undefined;
  /** The local Kafka broker (`sluice kafka start`). */
  kafka: LocalKafkaSettings;
  /** The LDAP directory users may sign in through (SLUICE_LDAP_*); null: local users only. */
  ldap: LdapSettings | null;
  /** The OpenID Connect provider users may sign in to the console through (SLUICE_OIDC_*); null: none. */
  oidc: OidcSettings | null;
  /**
   * Local clusters serve their REST API and SQL Gateway over TLS with mutual authentication, to
   * Sluice's key alone (SLUICE_FLINK_REST_TLS, `on` unless `off`).
   */
  flinkRestTls: boolean;
  /** Class-data sharing for the JVMs started on this machine (SLUICE_CDS, SLUICE_CDS_DIR). */
  classSharing: ClassSharingSetting;
}

export interface LocalKafkaSettings {
  /** Apache Kafka's version, fetched from Maven Central (org.apache.kafka:kafka_2.13). */
  version: string;
  /** Where Kafka's jars are kept, one folder per version: shared by every Sluice home of the user. */
  distDir: string;
  /** The broker's client port and its KRaft controller's port, both on 127.0.0.1. */
  port: number;
  controllerPort: number;
  /**
   * How often the running jobs' Kafka partitions' end offsets are sampled for /metrics
   * (SLUICE_KAFKA_OFFSETS_INTERVAL_MS, default 30 s; 0: never).
   */
  offsetSampleIntervalMs: number;
  /**
   * The broker's second listener for clients that reach this machine at another address, such as
   * Kubernetes pods (SLUICE_KAFKA_EXTERNAL_LISTENER, SLUICE_KAFKA_EXTERNAL_ADVERTISED); null: loopback only.
   */
  external?: ExternalListener | null;
}

/** Kafka 4.1.1: KRaft only, served by Maven Central, and spoken to by kafkajs 2.2.4 (checked by the e2e). */
export const LOCAL_KAFKA_VERSION = '4.1.1';

const int = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SluiceConfig {
  const home = path.resolve(env.SLUICE_HOME ?? path.join(os.homedir(), '.sluice'));
  return {
    home,
    databaseUrl: env.DATABASE_URL || undefined,
    host: env.SLUICE_HOST ?? '127.0.0.1',
    port: int(env.SLUICE_PORT, 8080),
    allowedHosts: parseAllowedHosts(env.SLUICE_ALLOWED_HOSTS),
    allowedOrigins: parseAllowedOrigins(env.SLUICE_ALLOWED_ORIGINS),
    defaultEngineVersion: env.SLUICE_DEFAULT_ENGINE ?? DEFAULT_ENGINE_VERSION,
    autoStart: env.SLUICE_AUTO_START !== 'false',
    mavenLocalRepository: env.SLUICE_MAVEN_REPO_LOCAL || undefined,
    mavenMirror: env.SLUICE_MAVEN_MIRROR || undefined,
    artifactMaxBytes: int(env.SLUICE_ARTIFACT_MAX_BYTES, 256 * 1024 * 1024),
    artifactMavenRepository: env.SLUICE_ARTIFACT_MAVEN_REPOSITORY || env.SLUICE_MAVEN_MIRROR || undefined,
    mavenSettingsFile: env.SLUICE_MAVEN_SETTINGS ? path.resolve(env.SLUICE_MAVEN_SETTINGS) : undefined,
    artifactStorage: parseArtifactStorage(env),
    prometheus: parsePrometheusSettings(env),
    alertmanager: parseAlertmanagerSettings(env),
    publicUrl: env.SLUICE_PUBLIC_URL?.trim().replace(/\/+$/, '') || null,
    allowedFilePaths: parseAllowedFilePaths(env.SLUICE_ALLOWED_FILE_PATHS),
    savepointDir: env.SLUICE_SAVEPOINT_DIR ?? `file://${path.join(home, 'savepoints')}`,
    savepointRetention: int(env.SLUICE_SAVEPOINT_RETENTION, 10),
    profileSwitchConcurrency: Math.max(1, int(env.SLUICE_PROFILE_SWITCH_CONCURRENCY, 1)),
    logRetention: {
      runs: parseLogRetentionRuns(
        env.SLUICE_LOG_RETENTION_RUNS ?? env.SLUICE_POD_LOG_RUNS,
        env.SLUICE_LOG_RETENTION_RUNS === undefined && env.SLUICE_POD_LOG_RUNS !== undefined
          ? 'SLUICE_POD_LOG_RUNS'
          : 'SLUICE_LOG_RETENTION_RUNS',
      ),
      maxAge: parseLogRetentionAge(env.SLUICE_LOG_RETENTION, 'SLUICE_LOG_RETENTION'),
    },
    trackerIntervalMs: int(env.SLUICE_TRACKER_INTERVAL_MS, 1000),
    warmSandbox: env.SLUICE_WARM_SANDBOX !== 'false',
    secretKey: env.SLUICE_SECRET_KEY || undefined,
    kafka: {
      version: env.SLUICE_KAFKA_VERSION || LOCAL_KAFKA_VERSION,
      distDir: path.resolve(
        env.SLUICE_KAFKA_DIST_DIR || path.join(os.homedir(), '.cache', 'sluice', 'kafka'),
      ),
      port: int(env.SLUICE_KAFKA_PORT, 9092),
      controllerPort: int(env.SLUICE_KAFKA_CONTROLLER_PORT, 9093),
      offsetSampleIntervalMs: int(env.SLUICE_KAFKA_OFFSETS_INTERVAL_MS, 30_000),
      external: parseExternalListener(
        env.SLUICE_KAFKA_EXTERNAL_LISTENER,
        env.SLUICE_KAFKA_EXTERNAL_ADVERTISED,
      ),
    },
    clusterDefaults: {
      ...LOCAL_CLUSTER_DEFAULTS,
      restPort: int(env.SLUICE_FLINK_REST_PORT, LOCAL_CLUSTER_DEFAULTS.restPort),
      rpcPort: int(env.SLUICE_FLINK_RPC_PORT, LOCAL_CLUSTER_DEFAULTS.rpcPort),
      gatewayPort: int(env.SLUICE_SQL_GATEWAY_PORT, LOCAL_CLUSTER_DEFAULTS.gatewayPort),
    },
    ldap: parseLdapSettings(
      env,
      secretFile(
        env[LDAP_VARIABLES.bindPasswordFile]?.trim(),
        'config.ldapPasswordFileUnreadable',
        LDAP_VARIABLES.bindPasswordFile,
      ),
      {
        groupRoles: groupRolesFile(env, LDAP_VARIABLES.groupRoles),
        ca: secretFile(
          env[LDAP_VARIABLES.url]?.trim() ? env[LDAP_VARIABLES.caFile]?.trim() : undefined,
          'config.ldapCaFileUnreadable',
          LDAP_VARIABLES.caFile,
        ),
      },
    ),
    oidc: parseOidcSettings(
      env,
      secretFile(
        env[OIDC_VARIABLES.clientSecretFile]?.trim(),
        'config.oidcSecretFileUnreadable',
        OIDC_VARIABLES.clientSecretFile,
      ),
      groupRolesFile(env, OIDC_VARIABLES.groupRoles),
    ),
    flinkRestTls: parseFlinkRestTls(env.SLUICE_FLINK_REST_TLS),
    classSharing: parseClassSharingSetting(env),
  };
}

/** SLUICE_FLINK_REST_TLS: on (the default) or off; anything else refused, naming the variable. */
function parseFlinkRestTls(value: string | undefined): boolean {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'on') return true;
  if (v === 'off') return false;
  throw new SluiceError('invalid_argument', message('config.flinkRestTls', { value: v }), {
    setting: 'SLUICE_FLINK_REST_TLS',
  });
}

/**
 * The content of a file setting (SLUICE_LDAP_BIND_PASSWORD_FILE, SLUICE_OIDC_CLIENT_SECRET_FILE,
 * SLUICE_LDAP_CA_FILE, SLUICE_*_GROUP_ROLES_FILE), refused naming the variable when it cannot be read.
 */
function secretFile(
  file: string | undefined,
  unreadable:
    | 'config.ldapPasswordFileUnreadable'
    | 'config.oidcSecretFileUnreadable'
    | 'config.ldapCaFileUnreadable'
    | 'config.groupRolesFileUnreadable',
  setting: string,
  params: Record<string, string> = {},
): string | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new SluiceError(
      'invalid_argument',
      message(unreadable, { ...params, file, detail: (e as NodeJS.ErrnoException).code ?? String(e) }),
      { setting },
    );
  }
}

/** The content of `<variable>_FILE`, the group mapping written in a file rather than the environment. */
const groupRolesFile = (env: NodeJS.ProcessEnv, variable: string) =>
  secretFile(env[`${variable}_FILE`]?.trim(), 'config.groupRolesFileUnreadable', `${variable}_FILE`, {
    variable,
  });
