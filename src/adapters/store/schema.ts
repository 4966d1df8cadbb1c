import type { ColumnType, Generated } from 'kysely';

/** Table types shared by SQLite and PostgreSQL. JSON is stored as text so both dialects read it alike. */
export interface Database {
  engines: EnginesTable;
  deployment_targets: DeploymentTargetsTable;
  cluster_events: ClusterEventsTable;
  jobs: JobsTable;
  job_versions: JobVersionsTable;
  submissions: SubmissionsTable;
  job_events: JobEventsTable;
  savepoints: SavepointsTable;
  run_graphs: RunGraphsTable;
  variables: VariablesTable;
  catalogs: CatalogsTable;
  artifact_versions: ArtifactVersionsTable;
  kafka_connections: KafkaConnectionsTable;
  alert_channels: AlertChannelsTable;
  alert_rules: AlertRulesTable;
  alert_history: AlertHistoryTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  console_sessions: ConsoleSessionsTable;
  sign_in_failures: SignInFailuresTable;
  quotas: QuotasTable;
  audit_log: AuditLogTable;
  job_profiles: JobProfilesTable;
  target_profiles: TargetProfilesTable;
  space_profiles: SpaceProfilesTable;
  profile_schedules: ProfileSchedulesTable;
  spaces: SpacesTable;
  space_members: SpaceMembersTable;
}

/** A space (0026_spaces): jobs, artifacts, variables, catalogs, alert rules and targets belong to one. */
export interface SpacesTable {
  name: string;
  created_at: string;
  created_by: string;
  /** The folders its job SQL may name files in, a JSON array (0031_space_file_folders); null: its default folder. */
  file_folders: string | null;
}

/** A user's role in a space: owner, developer or viewer. */
export interface SpaceMembersTable {
  space: string;
  user_name: string;
  role: string;
  added_at: string;
  /** manual, ldap or oidc (0029_directory_memberships). */
  source: string;
}

/** One record of the audit log (src/domain/audit/audit.ts): append-only, before and after as JSON. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  via: string;
  source_address: string;
  user_agent: string | null;
  method: string;
  path: string;
  operation: string | null;
  resource_kind: string | null;
  resource_name: string | null;
  /** The resource's space when recorded (0030_audit_space); null: none, or recorded before. */
  space: string | null;
  status: number;
  error_code: string | null;
  before: string | null;
  after: string | null;
}

/** A quota per scope (`target:<name>`, `space:<name>`): its limits and per-job ranges as JSON (null: not limited). */
export interface QuotasTable {
  scope: string;
  limits: string;
  per_job: string;
  updated_at: string;
  updated_by: string;
}

export interface KafkaConnectionsTable {
  name: string;
  /** JSON array of host:port. */
  bootstrap_servers: string;
  security_protocol: string;
  sasl_mechanism: string | null;
  sasl_username: string | null;
  /** Sealed by the secret box (`v1:...`), never plain. */
  sasl_password: string | null;
  ssl_ca_certificate: string | null;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface AlertRulesTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  name: string;
  /** Null: every job. */
  job: string | null;
  kind: string;
  threshold: number | null;
  /** A Prometheus duration (`for` is an SQL keyword). */
  for_duration: string;
  severity: string;
  channel: string;
  created_at: string;
  updated_at: string;
}

export interface AlertHistoryTable {
  id: Generated<number>;
  fingerprint: string;
  starts_at: string;
  rule: string;
  job: string | null;
  channel: string;
  status: string;
  severity: string;
  summary: string;
  value: string | null;
  ends_at: string | null;
  root_cause: string | null;
  link: string | null;
  delivery: string;
  received_at: string;
}

export interface ArtifactVersionsTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  name: string;
  version: number;
  sha256: string;
  size_bytes: number;
  file_name: string;
  source: string;
  main_class: string | null;
  functions: string | null;
  author: string;
  created_at: string;
}

/** Where alert messages go: a channel's type and its settings as JSON, secret fields sealed. */
export interface AlertChannelsTable {
  name: string;
  type: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface VariablesTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  name: string;
  value: string;
  secret: number;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface CatalogsTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  name: string;
  type: string;
  options: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface EnginesTable {
  version: string;
  flink_version: string;
  home: string;
  source: string;
  is_default: number;
  installed_at: string;
}

/** The deployment targets Sluice keeps: local and remote session targets (local-application ones are per engine). */
export interface DeploymentTargetsTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  name: string;
  kind: string;
  engine_version: string;
  spec: string;
  created_at: string;
}

export interface ClusterEventsTable {
  id: Generated<number>;
  cluster_name: string;
  process_id: string;
  kind: string;
  detail: string;
  at: string;
}

export interface JobsTable {
  /** The space it belongs to (0026_spaces). */
  space: Generated<string>;
  id: string;
  name: string;
  description: string;
  kind: string;
  /** The script of a SQL job; null for a JAR job. */
  sql: string | null;
  options: string;
  parallelism: number;
  engine_version: string;
  target_name: string;
  flink_job_id: string | null;
  created_at: string;
  updated_at: string;
  current_version: Generated<number>;
  deployed_version: number | null;
  state: Generated<string>;
  state_reason: string | null;
  state_reason_message: string | null;
  state_since: string | null;
  last_known_state: string | null;
  desired_state: Generated<string>;
  submission_in_flight: string | null;
  restart_policy: string;
  resubmit_policy: Generated<string>;
  resubmissions: Generated<number>;
  catalogs: Generated<string>;
  artifacts: Generated<string>;
  /** A JAR job's program as an artifact reference (JSON); null for a SQL job. */
  jar: string | null;
  entry_class: string | null;
  args: Generated<string>;
  classpath: Generated<string>;
}

export interface JobVersionsTable {
  job_id: string;
  number: number;
  author: string;
  message: string;
  content_hash: string;
  content: string;
  created_at: string;
}

export interface SubmissionsTable {
  id: string;
  job_id: string;
  number: number;
  kind: string;
  version_number: number;
  status: string;
  previous_state: string;
  flink_job_id: string | null;
  savepoint_path: string | null;
  /** A jar uploaded to the JobManager for this submission and not deleted yet (its id there). */
  uploaded_jar_id: string | null;
  params: string;
  steps: string;
  failed_step: string | null;
  error: string | null;
  /** The error as {code, params} JSON, for a client to say in its language. */
  error_message: string | null;
  root_cause: string | null;
  author: string;
  created_at: string;
  finished_at: string | null;
}

export interface JobEventsTable {
  id: Generated<number>;
  job_id: string;
  from_state: string;
  to_state: string;
  reason: string;
  /** The reason as {code, params} JSON, for a client to say in its language. */
  reason_message: string | null;
  source: string;
  submission_id: string | null;
  at: string;
}

/** A run's graph as first seen RUNNING (0032_run_graphs): its vertices and edges as JSON. */
export interface RunGraphsTable {
  flink_job_id: string;
  job_id: string;
  shape: string;
  kept_at: string;
}

export interface SavepointsTable {
  id: string;
  job_id: string;
  submission_id: string | null;
  flink_job_id: string;
  path: string;
  kind: string;
  origin: string;
  size_bytes: number | null;
  created_at: string;
}

export interface UsersTable {
  name: string;
  /** scrypt, as `$scrypt$ln=..,r=..,p=..$salt$key`; null for a user who signs in with tokens only. */
  password_hash: string | null;
  /** 1: a platform admin. */
  admin: number;
  created_at: string;
  /** local | ldap | oidc (src/domain/access UserSource); 0021_user_sources. */
  source: Generated<string>;
  /**
   * An OIDC user's identity at its provider, `<issuer> <sub>`, bound at its first sign-in; null for
   * others. 0024_oidc_users.
   */
  external_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApiTokensTable {
  id: string;
  /** SHA-256 of the secret, hex: the secret itself is shown once and never stored. */
  secret_hash: string;
  name: string;
  owner: string;
  /** JSON array of scopes: ["read"] or ["read","write"]. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface ConsoleSessionsTable {
  /** SHA-256 of the session id in the cookie. */
  id_hash: string;
  user_name: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface SignInFailuresTable {
  id: Generated<number>;
  /** `user:<name>` or `address:<ip>`: failures are counted for both. */
  subject: string;
  at: string;
}

/** A job's resource profile (normal, peak): its parallelism and Flink options as JSON. */
export interface JobProfilesTable {
  job_id: string;
  name: string;
  parallelism: number;
  options: string;
  updated_at: string;
}

/** A deployment target's active profile (null: none) and its last switch as JSON. */
export interface TargetProfilesTable {
  target: string;
  active_profile: string | null;
  last_switch: string | null;
  updated_at: string;
}

/** A space's active profile (null: none) and its last switch as JSON. */
export interface SpaceProfilesTable {
  space: string;
  active_profile: string | null;
  last_switch: string | null;
  updated_at: string;
}

/** A scheduled switch of a space's or target's active profile; its last run as JSON (null: not yet due). */
export interface ProfileSchedulesTable {
  id: Generated<number>;
  /** space or target */
  scope: string;
  /** The space's or target's name. */
  scope_name: string;
  profile: string;
  /** As given, with its offset. */
  at: string;
  repeat: string;
  created_by: string;
  created_at: string;
  last_run: string | null;
}
