import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, one list for both dialects. Only the auto-increment key differs, so each
 * migration is built with the dialect it runs on.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const autoId = (db: Kysely<unknown>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '0001_engines_clusters_jobs': {
      async up(db) {
        await db.schema
          .createTable('engines')
          .addColumn('version', 'text', (c) => c.primaryKey())
          .addColumn('flink_version', 'text', (c) => c.notNull())
          .addColumn('home', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('installed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('clusters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('engine_version', 'text', (c) => c.notNull())
          .addColumn('spec', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await autoId(db, 'cluster_events')
          .addColumn('cluster_name', 'text', (c) => c.notNull())
          .addColumn('process_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('cluster_events_by_cluster')
          .on('cluster_events')
          .columns(['cluster_name', 'id'])
          .execute();
        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('sql', 'text', (c) => c.notNull())
          .addColumn('options', 'text', (c) => c.notNull())
          .addColumn('parallelism', 'integer', (c) => c.notNull())
          .addColumn('engine_version', 'text', (c) => c.notNull())
          .addColumn('cluster_name', 'text', (c) => c.notNull())
          .addColumn('flink_job_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await sql`select 1`.execute(db);
      },
    },
    '0002_lifecycle': {
      async up(db) {
        const jobColumns: [string, 'text' | 'integer', string | number | null][] = [
          ['current_version', 'integer', 1],
          ['deployed_version', 'integer', null],
          ['state', 'text', 'CREATED'],
          ['state_reason', 'text', null],
          ['state_since', 'text', null],
          ['last_known_state', 'text', null],
          ['desired_state', 'text', 'stopped'],
          ['operation', 'text', null],
          ['restart_policy', 'text', '{"kind":"none"}'],
          ['restart_attempts', 'integer', 0],
        ];
        for (const [name, type, dflt] of jobColumns)
          await db.schema
            .alterTable('jobs')
            .addColumn(name, type, (c) => (dflt === null ? c : c.notNull().defaultTo(dflt)))
            .execute();
        await db.schema
          .createTable('job_versions')
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('job_versions_pk', ['job_id', 'number'])
          .execute();
        await db.schema
          .createTable('submissions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('version_number', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('previous_state', 'text', (c) => c.notNull())
          .addColumn('flink_job_id', 'text')
          .addColumn('savepoint_path', 'text')
          .addColumn('params', 'text', (c) => c.notNull())
          .addColumn('steps', 'text', (c) => c.notNull())
          .addColumn('failed_step', 'text')
          .addColumn('error', 'text')
          .addColumn('root_cause', 'text')
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .execute();
        await db.schema
          .createIndex('submissions_by_job')
          .on('submissions')
          .columns(['job_id', 'number'])
          .unique()
          .execute();
        await autoId(db, 'job_events')
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('from_state', 'text', (c) => c.notNull())
          .addColumn('to_state', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('submission_id', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('job_events_by_job').on('job_events').columns(['job_id', 'id']).execute();
        await db.schema
          .createTable('savepoints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('submission_id', 'text')
          .addColumn('flink_job_id', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('size_bytes', 'integer')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('savepoints_by_job')
          .on('savepoints')
          .columns(['job_id', 'created_at'])
          .execute();
      },
    },
    '0003_variables_catalogs': {
      async up(db) {
        await db.schema
          .createTable('variables')
          .addColumn('name', 'text', (c) => c.primaryKey())
          // A secret's value is stored sealed (AES-256-GCM), never in plain text.
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('secret', 'integer', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('catalogs')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('options', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .alterTable('jobs')
          .addColumn('catalogs', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
      },
    },
    // Flink's restart strategy and the platform's own resubmission are two settings now: the old
    // `fixed` policy is Flink's fixed-delay strategy, and the platform's count is of resubmissions.
    '0004_restart_strategy_resubmit': {
      async up(db) {
        await db.schema
          .alterTable('jobs')
          .addColumn('resubmit_policy', 'text', (c) => c.notNull().defaultTo('{"kind":"none"}'))
          .execute();
        await db.schema.alterTable('jobs').renameColumn('restart_attempts', 'resubmissions').execute();
        const rows = await sql<{ id: string; restart_policy: string }>`
          select id, restart_policy from jobs where restart_policy like '%"fixed"%'`.execute(db);
        for (const r of rows.rows) {
          const old = JSON.parse(r.restart_policy) as { attempts: number; backoffSeconds: number };
          const now = { kind: 'fixed-delay', attempts: old.attempts, delaySeconds: old.backoffSeconds };
          await sql`update jobs set restart_policy = ${JSON.stringify(now)} where id = ${r.id}`.execute(db);
        }
        await sql`update submissions set kind = 'resubmit' where kind = 'restart'`.execute(db);
        await sql`update jobs set operation = 'resubmitting' where operation = 'restarting'`.execute(db);
      },
    },
    // A reason is kept as a message code with parameters too, so the console can say it in its language.
    '0005_reason_messages': {
      async up(db) {
        await db.schema.alterTable('job_events').addColumn('reason_message', 'text').execute();
        await db.schema.alterTable('jobs').addColumn('state_reason_message', 'text').execute();
      },
    },
    // A submission's failure is kept as a message code with parameters too (beside its English text).
    '0006_submission_error_messages': {
      async up(db) {
        await db.schema.alterTable('submissions').addColumn('error_message', 'text').execute();
      },
    },
    // Artifacts (jars kept by sha256, every upload a version) and the artifacts a SQL job needs.
    '0007_artifacts': {
      async up(db) {
        await db.schema
          .createTable('artifact_versions')
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('size_bytes', 'integer', (c) => c.notNull())
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('main_class', 'text')
          // The functions found in it, as JSON, once read (null: not read yet).
          .addColumn('functions', 'text')
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('artifact_versions_pk', ['name', 'version'])
          .execute();
        await db.schema
          .createIndex('artifact_versions_by_sha')
          .on('artifact_versions')
          .column('sha256')
          .execute();
        await db.schema
          .alterTable('jobs')
          .addColumn('artifacts', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
      },
    },
    // Job content is a union of kinds: a JAR job has no script (`sql` null) but a jar, an entry class,
    // arguments and a classpath. Existing rows are SQL jobs. The column is rebuilt rather than altered
    // so that SQLite (no ALTER COLUMN) and PostgreSQL take the same path.
    '0008_jar_jobs': {
      async up(db) {
        await db.schema.alterTable('jobs').addColumn('script', 'text').execute();
        await sql`update jobs set script = sql`.execute(db);
        await db.schema.alterTable('jobs').dropColumn('sql').execute();
        await db.schema.alterTable('jobs').renameColumn('script', 'sql').execute();
        await db.schema.alterTable('jobs').addColumn('jar', 'text').execute();
        await db.schema.alterTable('jobs').addColumn('entry_class', 'text').execute();
        await db.schema
          .alterTable('jobs')
          .addColumn('args', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        await db.schema
          .alterTable('jobs')
          .addColumn('classpath', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        await sql`update jobs set kind = 'sql' where kind is null or kind = ''`.execute(db);
      },
    },
    // The jar a session deploy uploaded to the JobManager, kept until it is deleted there: a platform
    // that died in between deletes it when it starts again.
    '0009_uploaded_jars': {
      async up(db) {
        await db.schema.alterTable('submissions').addColumn('uploaded_jar_id', 'text').execute();
      },
    },
    // One word per concept: a job runs on a deployment target (of which a session cluster is one
    // kind), and the submission a job command runs is not a background operation. Renames keep rows.
    '0010_deployment_targets': {
      async up(db) {
        await db.schema.alterTable('clusters').renameTo('deployment_targets').execute();
        await db.schema.alterTable('jobs').renameColumn('cluster_name', 'target_name').execute();
        await db.schema.alterTable('jobs').renameColumn('operation', 'submission_in_flight').execute();
      },
    },
    // The channels alert messages go through (DingTalk, WeCom, Lark, email, webhook): settings as JSON
    // whose secret fields (robot addresses, signing secrets, the SMTP password) are sealed.
    '0011_alert_channels': {
      async up(db) {
        await db.schema
          .createTable('alert_channels')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Alert rules (evaluated by Prometheus, routed by Alertmanager) and the history of their alerts:
    // one row per firing (Alertmanager's fingerprint and start), updated when it resolves.
    '0012_alert_rules': {
      async up(db) {
        await db.schema
          .createTable('alert_rules')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('job', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('threshold', 'double precision')
          .addColumn('for_duration', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await autoId(db, 'alert_history')
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('starts_at', 'text', (c) => c.notNull())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('job', 'text')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('ends_at', 'text')
          .addColumn('root_cause', 'text')
          .addColumn('link', 'text')
          .addColumn('delivery', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('alert_history_by_firing')
          .on('alert_history')
          .columns(['fingerprint', 'starts_at'])
          .unique()
          .execute();
        await db.schema
          .createIndex('alert_history_by_job')
          .on('alert_history')
          .columns(['job', 'id'])
          .execute();
      },
    },
    // Kafka clusters registered as connections: brokers and security settings, the SASL password sealed
    // by the secret box as secret variables are.
    '0013_kafka_connections': {
      async up(db) {
        await db.schema
          .createTable('kafka_connections')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('bootstrap_servers', 'text', (c) => c.notNull())
          .addColumn('security_protocol', 'text', (c) => c.notNull())
          .addColumn('sasl_mechanism', 'text')
          .addColumn('sasl_username', 'text')
          .addColumn('sasl_password', 'text')
          .addColumn('ssl_ca_certificate', 'text')
          .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Users, their API tokens (hashed) and console sessions (hashed ids), and recent failed sign-ins
    // (to slow guessing): issue 15's local users. A user's tokens and sessions go with the user.
    '0018_users': {
      async up(db) {
        await db.schema
          .createTable('users')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('password_hash', 'text')
          .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull().references('users.name').onDelete('cascade'))
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('last_used_at', 'text')
          .execute();
        await db.schema
          .createTable('console_sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_name', 'text', (c) => c.notNull().references('users.name').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();
        await autoId(db, 'sign_in_failures')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('sign_in_failures_by_subject')
          .on('sign_in_failures')
          .columns(['subject', 'at'])
          .execute();
      },
    },
    // Quotas per scope: a deployment target's now (`target:<name>`), a space's with spaces.
    '0019_quotas': {
      async up(db) {
        await db.schema
          .createTable('quotas')
          .addColumn('scope', 'text', (c) => c.primaryKey())
          .addColumn('limits', 'text', (c) => c.notNull())
          .addColumn('per_job', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // The audit log (issue 15 item 5): append-only, refused by the database itself on UPDATE and
    // DELETE (and TRUNCATE on PostgreSQL), so no code path of Sluice can rewrite history. No foreign
    // key to jobs, users or anything else: deleting a resource keeps its records.
    '0020_audit': {
      async up(db) {
        await autoId(db, 'audit_log')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('source_address', 'text', (c) => c.notNull())
          .addColumn('user_agent', 'text')
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('operation', 'text')
          .addColumn('resource_kind', 'text')
          .addColumn('resource_name', 'text')
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .execute();
        await db.schema.createIndex('audit_log_by_at').on('audit_log').columns(['at', 'id']).execute();
        await db.schema
          .createIndex('audit_log_by_resource')
          .on('audit_log')
          .columns(['resource_kind', 'resource_name', 'id'])
          .execute();
        await db.schema.createIndex('audit_log_by_actor').on('audit_log').columns(['actor', 'id']).execute();
        if (dialect === 'postgres') {
          await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$`.execute(db);
          await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
          await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
        } else {
          await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END`.execute(db);
          await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END`.execute(db);
        }
      },
    },
    // Where each user signs in: local (a password Sluice keeps, or tokens only) or ldap (a directory,
    // the user made at its first sign-in there). Users from before are local.
    '0021_user_sources': {
      async up(db) {
        await db.schema
          .alterTable('users')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
          .execute();
      },
    },
    // Resource profiles (issue 15): each job's named overlays of parallelism and options, and each
    // deployment target's active profile with its last switch (a space's, once spaces exist).
    '0022_resource_profiles': {
      async up(db) {
        await db.schema
          .createTable('job_profiles')
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('parallelism', 'integer', (c) => c.notNull())
          .addColumn('options', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('job_profiles_pk', ['job_id', 'name'])
          .execute();
        await db.schema
          .createTable('target_profiles')
          .addColumn('target', 'text', (c) => c.primaryKey())
          .addColumn('active_profile', 'text')
          .addColumn('last_switch', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // An OIDC user is bound to its provider's subject (issuer and sub) at its first sign-in, so that
    // a name claim the provider lets change, or that differs only in case, cannot sign in as it.
    '0024_oidc_users': {
      async up(db) {
        await db.schema.alterTable('users').addColumn('external_subject', 'text').execute();
      },
    },
    // Scheduled switches of a target's active profile (peak before a sale, normal after), each with
    // its last run: when, for which occurrence, and what came of it.
    '0025_profile_schedules': {
      async up(db) {
        await autoId(db, 'profile_schedules')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('profile', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('repeat', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_run', 'text')
          .execute();
        await db.schema
          .createIndex('profile_schedules_target')
          .on('profile_schedules')
          .column('target')
          .execute();
      },
    },
    // Spaces and roles (issue 15 item 2). Every job, artifact, variable, catalog, alert rule and
    // deployment target belongs to a space; what was there before lands in `default`, and every user
    // who is not a platform admin becomes a developer of `default`, so today's users keep doing what
    // they did. Kafka connections and alert channels stay platform-wide (shared plumbing that rules
    // and jobs of every space use): platform admins change them.
    '0026_spaces': {
      async up(db) {
        await db.schema
          .createTable('spaces')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('space_members')
          .addColumn('space', 'text', (c) => c.notNull())
          .addColumn('user_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('space_members_pk', ['space', 'user_name'])
          .execute();
        await db.schema
          .createIndex('space_members_by_user')
          .on('space_members')
          .columns(['user_name'])
          .execute();
        for (const table of [
          'jobs',
          'artifact_versions',
          'variables',
          'catalogs',
          'alert_rules',
          'deployment_targets',
        ])
          await db.schema
            .alterTable(table)
            .addColumn('space', 'text', (c) => c.notNull().defaultTo('default'))
            .execute();
        const at = new Date().toISOString();
        await sql`INSERT INTO spaces (name, created_at, created_by) VALUES ('default', ${at}, 'migration')`.execute(
          db,
        );
        await sql`INSERT INTO space_members (space, user_name, role, added_at)
          SELECT 'default', name, 'developer', ${at} FROM users WHERE admin = 0`.execute(db);
      },
    },
    // Resource profiles per space (issue 15 item 4): each space's active profile with its last switch,
    // beside each target's; a scheduled switch names its scope (space or target) and that one's name.
    '0028_space_profiles': {
      async up(db) {
        await db.schema
          .createTable('space_profiles')
          .addColumn('space', 'text', (c) => c.primaryKey())
          .addColumn('active_profile', 'text')
          .addColumn('last_switch', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .alterTable('profile_schedules')
          .addColumn('scope', 'text', (c) => c.notNull().defaultTo('target'))
          .execute();
        await db.schema.alterTable('profile_schedules').renameColumn('target', 'scope_name').execute();
      },
    },
    // Where each membership came from (issue 15 items 1-2): set by hand, or from the user's groups in
    // the LDAP directory or at the OIDC provider, which each sign-in sets anew without touching the
    // ones set by hand. Memberships from before were all set by hand (or by 0026 for everyone).
    '0029_directory_memberships': {
      async up(db) {
        await db.schema
          .alterTable('space_members')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
          .execute();
      },
    },
    // The audit log per space (issue 15): each record keeps the space of the thing it is about, so
    // that a space's owners read their space's records. Older records stay without one (platform
    // admins still read them): the log is append-only, and a name's space today need not be the one
    // of the thing the record was about (a job deleted and made again elsewhere under its name).
    '0030_audit_space': {
      async up(db) {
        await db.schema.alterTable('audit_log').addColumn('space', 'text').execute();
        await db.schema.createIndex('audit_log_by_space').on('audit_log').columns(['space', 'id']).execute();
      },
    },
    // `file:` folders per space (issue 15 item 7): the folders a platform admin lists for the space,
    // on the space's row so that they go with it. Null (every space that exists): none listed, the
    // space uses its default folder `<home>/files/<space>`.
    '0031_space_file_folders': {
      async up(db) {
        await db.schema.alterTable('spaces').addColumn('file_folders', 'text').execute();
      },
    },
    // The graph of each run (issue 14 item 2): its vertices and edges as its JobManager ran them, kept
    // when the run is first seen RUNNING, so that a finished or failed run's graph is still drawn
    // (coloured from Prometheus at a moment) once its cluster no longer knows it.
    '0032_run_graphs': {
      async up(db) {
        await db.schema
          .createTable('run_graphs')
          .addColumn('flink_job_id', 'text', (c) => c.primaryKey())
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('shape', 'text', (c) => c.notNull())
          .addColumn('kept_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('run_graphs_by_job').on('run_graphs').column('job_id').execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
