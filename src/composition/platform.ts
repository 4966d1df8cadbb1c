import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Job } from '../domain/jobs/job.ts';
import { Store } from '../adapters/store/store.ts';
import { AccessService } from '../application/access-service.ts';
import { SpaceService } from '../application/space-service.ts';
import { writeServiceToken } from '../application/service-tokens.ts';
import { flinkClusterRuntime } from '../adapters/flink/cluster-runtime.ts';
import { inspectDistribution } from '../adapters/flink/distribution.ts';
import { scanCatalogFactories } from '../adapters/flink/catalog-factories.ts';
import { provisionFlink } from '../adapters/flink/provisioning/maven-provisioner.ts';
import { launchSqlParser } from '../adapters/flink/sql-parser/launcher.ts';
import type { LocalSessionCluster } from '../adapters/flink/local-cluster/local-session-cluster.ts';
import { PodMetricsService } from '../application/pod-metrics-service.ts';
import { TargetService } from '../application/target-service.ts';
import { AllowedFilePaths } from '../application/file-paths.ts';
import type { KubernetesStandaloneOptions } from '../adapters/kubernetes/standalone/standalone-target.ts';
import type { KubernetesRuntime, KubernetesTargetContext } from '../application/ports/kubernetes.ts';
import type { KubernetesTargetSpec } from '../domain/targets/kubernetes-target.ts';
import type { SluiceConfig } from '../application/config.ts';
import { EngineService } from '../application/engine-service.ts';
import { EventBus } from '../application/event-bus.ts';
import { JobService } from '../application/job-service.ts';
import { ProfileService } from '../application/profile-service.ts';
import { ProfileSchedules } from '../application/profile-schedules.ts';
import { spaceScope, targetScope } from '../domain/profiles/profile.ts';
import { systemClock } from '../application/ports/clock.ts';
import { QuotaService } from '../application/quota-service.ts';
import { JobStates } from '../application/job-states.ts';
import { Operations } from '../application/operations.ts';
import { reconcileInterruptedSubmissions } from '../application/reconciler.ts';
import { SubmissionRunner } from '../application/submissions.ts';
import { SqlService } from '../application/sql-service.ts';
import { SqlDebugService } from '../application/sql-debug.ts';
import { SecretBox } from '../adapters/secrets/secret-box.ts';
import { ownerOnlyFolder, tightenIfPresent } from '../adapters/system/owner-only.ts';
import { CatalogService } from '../application/catalog-service.ts';
import { ArtifactService } from '../application/artifact-service.ts';
import { SubmissionTokens } from '../application/submission-tokens.ts';
import { SubmissionArtifacts } from '../adapters/artifacts/submission-artifacts.ts';
import { ArtifactFiles } from '../adapters/artifacts/artifact-files.ts';
import type { ArtifactStorage } from '../application/ports/artifacts.ts';
import { readJar } from '../adapters/artifacts/jar-reader.ts';
import { resolveMavenJar } from '../adapters/artifacts/maven-resolver.ts';
import { buildJarFromGit } from '../adapters/artifacts/git-build.ts';
import { scanJar } from '../adapters/flink/udf-scanner/udf-scanner.ts';
import { VariableService } from '../application/variable-service.ts';
import { LineageService } from '../application/lineage-service.ts';
import { warmUpSyntaxChecker } from '../domain/sql/syntax.ts';
import { Tracker } from '../application/tracker.ts';
import { SqlParsers } from '../application/sql-parsers.ts';
import { JobLogsService } from '../application/job-logs.ts';
import { JobExceptionsService } from '../application/job-exceptions.ts';
import { JobGraphService } from '../application/job-graph.ts';
import { JobMetricsService } from '../application/job-metrics.ts';
import { KafkaLagService, lagJob } from '../application/kafka-lag.ts';
import { SluiceMetrics } from '../adapters/metrics/sluice-metrics.ts';
import { prometheusServer } from '../adapters/metrics/prometheus-server.ts';
import { HttpPrometheusQuery } from '../adapters/metrics/prometheus-query.ts';
import type { PrometheusQuery, PrometheusServer } from '../application/ports/prometheus.ts';
import { KafkaService } from '../application/kafka-service.ts';
import { KafkaOffsetSampler } from '../application/kafka-offset-sampler.ts';
import { LocalKafkaBroker } from '../adapters/kafka/local-broker.ts';
import { provisionKafka } from '../adapters/kafka/kafka-provisioner.ts';
import {
  committedOffsets,
  listTopics,
  partitionOffsets,
  sampleTopic,
  topicNames,
} from '../adapters/kafka/kafka-client.ts';
import { which } from '../adapters/system/prerequisites.ts';
import { AlertChannelService } from '../application/alert-channels.ts';
import { createAlertNotifier } from '../adapters/notifiers/index.ts';
import { AlertRules } from '../application/alert-rules.ts';
import type { AlertDelivery, AlertmanagerServer } from '../application/ports/alerts.ts';
import { alertmanagerServer } from '../adapters/alerts/alertmanager-server.ts';
import { alertRuleFile, writeAlertRuleFile } from '../adapters/alerts/prometheus-rule-file.ts';
import type { AlertRule } from '../domain/alerts/alert-rules.ts';
import { renderMessage } from '../domain/messages.ts';
import { LdapDirectory } from '../adapters/directory/ldap-directory.ts';
import { DirectorySync } from '../application/directory-sync.ts';
import { OpenIdProvider } from '../adapters/identity/openid-provider.ts';

/** How often the log retention is applied again while the platform runs. */
const LOG_PRUNING_INTERVAL_MS = 3_600_000;

/**
 * The composition root: the one place that builds adapters (store, Flink clusters, engines, parsers,
 * secrets) and hands them to the use cases, which know them only by their ports.
 *
 * The whole platform in one process: store, engines, clusters, jobs, tracking and background work. */
export class Platform {
  readonly engines: EngineService;
  readonly targets: TargetService<LocalSessionCluster>;
  /** The pods of Kubernetes targets as Prometheus scrape targets, proxied through the API server. */
  readonly podMetrics: PodMetricsService;
  readonly jobs: JobService;
  /** The quota and per-job ranges of each deployment target, checked at start and upgrade. */
  readonly quotas: QuotaService;
  readonly profiles: ProfileService;
  /** Scheduled switches of spaces' and targets' active profiles, and their scheduler (from boot to close). */
  readonly profileSchedules: ProfileSchedules;
  readonly operations: Operations;
  readonly bus = new EventBus();
  readonly states: JobStates;
  readonly submissions: SubmissionRunner;
  readonly tracker: Tracker;
  readonly sql: SqlService;
  /** Flink's own SQL parser per engine version (long-lived JVM helpers), the judge of syntax checks. */
  readonly sqlParsers: SqlParsers;
  readonly debug: SqlDebugService;
  readonly variables: VariableService;
  readonly catalogs: CatalogService;
  readonly artifacts: ArtifactService;
  /** The folders job SQL may name files in (SLUICE_ALLOWED_FILE_PATHS). */
  readonly files: AllowedFilePaths;
  /** The jars of runs whose pods fetch them from the platform, served to each run's own token. */
  readonly submissionArtifacts: SubmissionArtifacts;
  readonly lineage: LineageService;
  /** The logs of the Flink processes each job runs in. */
  readonly logs: JobLogsService;
  /** Flink's exception history of each job's runs. */
  readonly exceptions: JobExceptionsService;
  readonly jobGraph: JobGraphService;
  /** The hourly log retention, from boot to close. */
  private logPruning: NodeJS.Timeout | null = null;
  /** Sluice's own metrics, served at /metrics. */
  readonly metrics: SluiceMetrics;
  /** The Prometheus in use (embedded, the user's, or none), started once the API listens. */
  readonly prometheus: PrometheusServer;
  /** PromQL over that Prometheus: what the charts and alerts read. */
  readonly prometheusQuery: PrometheusQuery;
  /** Each job's charts from that Prometheus, and as a Grafana dashboard. */
  readonly jobMetrics: JobMetricsService;
  /** Kafka connections, the local broker and the topic browser. */
  readonly kafka: KafkaService;
  /** Consumer lag of a job's Kafka sources. */
  readonly kafkaLag: KafkaLagService;
  /** The running jobs' Kafka partitions' end offsets, sampled for /metrics (the charts' lag per partition). */
  readonly kafkaOffsets: KafkaOffsetSampler;
  /** The channels alert messages go through; the alert rules deliver through `deliver`. */
  readonly alertChannels: AlertChannelService;
  /** The Alertmanager in use (embedded, the user's, or none), started with Prometheus. */
  readonly alertmanager: AlertmanagerServer;
  /** Alert rules, handed to Prometheus and Alertmanager, and the alerts that come back. */
  readonly alertRules: AlertRules;
  /** Users, API tokens and console sessions: who each request runs as. */
  readonly access: AccessService;
  /** Spaces and the roles of their members: what each user may do with what. */
  readonly spaces: SpaceService;
  /** LDAP users looked up again on SLUICE_LDAP_SYNC_INTERVAL and when an admin asks. */
  readonly directorySync: DirectorySync;
  /** The operation that provisions and starts the default engine at server start, if any. */
  bootstrapOperationId: string | null = null;

  private constructor(
    readonly config: SluiceConfig,
    readonly store: Store,
    readonly log: Logger,
    private readonly artifactStorage: ArtifactStorage,
  ) {
    this.access = new AccessService(
      store.access,
      undefined,
      config.ldap ? new LdapDirectory(config.ldap) : null,
      config.oidc ? { provider: new OpenIdProvider(config.oidc), settings: config.oidc } : null,
      store.spaces,
      config.ldap?.groupRoles ?? [],
      (m) => log.warn({ messageCode: m.code, messageParams: m.params }, renderMessage(m)),
    );
    this.spaces = new SpaceService(store.spaces, store.access);
    this.directorySync = new DirectorySync(this.access, store.audit, {
      info: (line) => log.info(line),
      warn: (line) => log.warn(line),
    });
    this.operations = new Operations((op, line) =>
      log.info({ operation: op.id, kind: op.kind, subject: op.subject }, line),
    );
    this.engines = new EngineService(store, config, {
      inspect: inspectDistribution,
      scanCatalogFactories,
      provision: provisionFlink,
    });
    this.submissionArtifacts = new SubmissionArtifacts(config.home, SubmissionTokens.open(config.home));
    // Kubernetes targets: each mode whose deployer is built is given here (the seam of the deployers).
    const kubernetesOptions = (
      spec: KubernetesTargetSpec,
      context: KubernetesTargetContext,
    ): KubernetesStandaloneOptions => ({
      spec,
      flinkVersion: async () => (await context.distribution()).flinkVersion,
      sluiceHome: context.sluiceHome,
      mavenLocalRepository: config.mavenLocalRepository,
      mavenMirror: config.mavenMirror,
      workbench: context.workbench,
      submissionArtifacts: this.submissionArtifacts,
      s3Artifacts: config.artifactStorage.kind === 's3' ? config.artifactStorage : null,
      logRetention: config.logRetention,
    });
    // Loaded on first use of a Kubernetes target: @kubernetes/client-node costs ~1 s of CPU to import,
    // paid otherwise by every server start and every test file that opens a platform.
    const loadKubernetes = async (): Promise<KubernetesRuntime> => {
      const [
        { kubernetesRuntime },
        { KubernetesStandaloneTarget },
        { KubernetesOperatorTarget },
        { KubernetesStandaloneSession },
        { KubernetesNativeTarget },
        { KubernetesOperatorSession },
        { KubernetesNativeSession },
      ] = await Promise.all([
        import('../adapters/kubernetes/kubernetes-runtime.ts'),
        import('../adapters/kubernetes/standalone/standalone-target.ts'),
        import('../adapters/kubernetes/operator/operator-target.ts'),
        import('../adapters/kubernetes/standalone/standalone-session.ts'),
        import('../adapters/kubernetes/native/native-target.ts'),
        import('../adapters/kubernetes/operator/operator-session.ts'),
        import('../adapters/kubernetes/native/native-session.ts'),
      ]);
      return kubernetesRuntime({
        // Standalone: Sluice renders and applies each job's cluster itself; a session target, one
        // standalone session cluster in the namespace, its jobs submitted to it.
        standalone: (spec, context) =>
          spec.session
            ? new KubernetesStandaloneSession({
                spec: { ...spec, session: spec.session },
                space: context.space,
                distribution: context.distribution,
                sluiceHome: context.sluiceHome,
                logRetention: config.logRetention,
              })
            : new KubernetesStandaloneTarget(kubernetesOptions(spec, context)),
        // Operator: Sluice applies a FlinkDeployment per job, which the Flink Kubernetes Operator
        // deploys; a session target, one session FlinkDeployment and a FlinkSessionJob per run.
        operator: (spec, context) =>
          spec.session
            ? new KubernetesOperatorSession({
                ...kubernetesOptions(spec, context),
                spec: { ...spec, session: spec.session },
                space: context.space,
                distribution: context.distribution,
              })
            : new KubernetesOperatorTarget(kubernetesOptions(spec, context)),
        // Native: Flink's own client (on this machine) creates each job's JobManager Deployment; a
        // session target, one native session cluster (its JobManager with the SQL Gateway beside it).
        native: (spec, context) => {
          const engineClasspath = async () => (await context.distribution()).classpath;
          return spec.session
            ? new KubernetesNativeSession({
                spec: { ...spec, session: spec.session },
                space: context.space,
                distribution: context.distribution,
                sluiceHome: context.sluiceHome,
                logRetention: config.logRetention,
                mavenLocalRepository: config.mavenLocalRepository,
                mavenMirror: config.mavenMirror,
                engineClasspath,
              })
            : new KubernetesNativeTarget({ ...kubernetesOptions(spec, context), engineClasspath });
        },
      });
    };
    this.targets = new TargetService(
      store,
      flinkClusterRuntime(config.flinkRestTls ? { home: config.home } : null),
      this.engines,
      config,
      (m) => log.info(m),
      loadKubernetes,
    );
    this.podMetrics = new PodMetricsService(
      store.targets,
      () => this.targets.kubernetesRuntime(),
      (m) => log.info(m),
    );
    this.states = new JobStates(store, this.bus);
    const secretBox = SecretBox.open({ secretKey: config.secretKey, home: config.home });
    this.variables = new VariableService(store, secretBox);
    const kafkaSettings = config.kafka;
    this.kafka = new KafkaService(
      store.kafkaConnections,
      secretBox,
      { listTopics, sampleTopic, committedOffsets, topicNames, partitionOffsets },
      new LocalKafkaBroker(
        path.join(config.home, 'kafka', 'local'),
        {
          port: kafkaSettings.port,
          controllerPort: kafkaSettings.controllerPort,
          external: kafkaSettings.external ?? null,
        },
        (progress) =>
          provisionKafka({
            distDir: kafkaSettings.distDir,
            version: kafkaSettings.version,
            mavenLocalRepository: config.mavenLocalRepository,
            mavenMirror: config.mavenMirror,
            progress,
          }),
        (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : which('java')) ?? 'java',
        (processId, kind, detail) => log.info({ kafka: 'local', process: processId, kind }, detail),
      ),
    );
    this.alertChannels = new AlertChannelService(store, secretBox, createAlertNotifier());
    this.files = new AllowedFilePaths(config.allowedFilePaths, store.spaces, config.home);
    this.catalogs = new CatalogService(store, this.variables, this.targets, this.files);
    this.artifacts = new ArtifactService(store, this.engines, config, artifactStorage, {
      read: readJar,
      resolveMaven: (coords, settings) => resolveMavenJar(coords, settings),
      buildFromGit: (req, settings, say, signal) => buildJarFromGit(req, settings, say, { signal }),
      scan: (engineHome, jar) => scanJar(engineHome, config.home, jar),
    });
    const workspace = {
      variables: this.variables,
      catalogs: this.catalogs,
      artifacts: this.artifacts,
      files: this.files,
    };
    this.sqlParsers = new SqlParsers(this.engines, launchSqlParser, {
      home: config.home,
      log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    });
    this.sql = new SqlService(this.targets, workspace, {
      parsers: this.sqlParsers,
      engines: this.engines,
      defaultEngine: config.defaultEngineVersion,
      log: { gap: (grammarGap, message) => log.info({ grammarGap }, message) },
    });
    const validateScript = (sql: string, engineVersion: string, space: string | null) =>
      this.sql.validate(sql, true, engineVersion, space);
    this.submissions = new SubmissionRunner(
      store,
      this.bus,
      this.states,
      this.targets,
      config,
      workspace,
      validateScript,
    );
    this.jobs = new JobService(
      store,
      this.engines,
      this.targets,
      this.submissions,
      workspace,
      validateScript,
    );
    this.lineage = new LineageService(store, this.variables);
    this.logs = new JobLogsService(store, this.targets);
    this.exceptions = new JobExceptionsService(store, this.targets);
    this.debug = new SqlDebugService(this.targets, this.jobs, config, workspace);
    const resubmitPolicy = (job: Job) => {
      void this.jobs
        .resubmitAfterFailure(job)
        .catch((e: Error) => log.warn({ job: job.name }, `resubmit policy: ${e.message}`));
    };
    this.tracker = new Tracker(store, this.states, this.targets, {
      onFailed: resubmitPolicy,
      onEnded: async (job) => void (await this.submissions.recordRetainedCheckpoint(job)),
      onRound: (seconds) => this.metrics.observeTrackerRound(seconds),
    });
    this.submissions.onRuntimeFailure = resubmitPolicy;
    this.quotas = new QuotaService(store, store.quotas, (target) => this.targets.targetKindOf(target));
    this.submissions.admission = (job, kind, proceed) => this.quotas.admit(job, kind, proceed);
    this.jobs.checkRanges = (content) => this.quotas.checkRanges(content);
    this.profiles = new ProfileService(
      store,
      store.profiles,
      this.jobs,
      this.submissions,
      this.targets,
      config.profileSwitchConcurrency,
    );
    this.submissions.profiles = {
      active: (job, target) => this.profiles.active(job, target),
      named: (job, name) => this.profiles.named(job, name),
    };
    this.quotas.profileOf = (job, target) => this.profiles.active(job, target);
    this.profiles.checkRanges = (content) => this.quotas.checkRanges(content);
    this.profileSchedules = new ProfileSchedules(
      store,
      store.profileSchedules,
      store.profiles,
      this.profiles,
      systemClock,
      { info: (line) => log.info(line), warn: (line) => log.warn(line) },
    );
    this.targets.onRemoved = async (target) => {
      await this.quotas.forget(target);
      await store.profiles.forgetScope(targetScope(target));
      await store.profileSchedules.forgetScope(targetScope(target));
    };
    this.spaces.onRemoved = async (space) => {
      await store.profiles.forgetScope(spaceScope(space));
      await store.profileSchedules.forgetScope(spaceScope(space));
    };
    this.metrics = new SluiceMetrics(
      async () => {
        const [jobs, spaces] = await Promise.all([store.jobs.list(), store.spaces.spacesOf('job')]);
        // Every job is in a space; one made before spaces is in the default one.
        return jobs.map((j) => ({ ...j, space: spaces.get(j.name) ?? DEFAULT_SPACE }));
      },
      (target, flinkJobId) => this.targets.pendingPods(target, flinkJobId),
      // Set below, before anything scrapes.
      () => this.kafkaOffsets.samples(),
    );
    const serverLog = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) };
    this.alertmanager = alertmanagerServer(config.alertmanager, config.home, serverLog);
    const ruleFile = alertRuleFile(config.home);
    this.prometheus = prometheusServer(config.prometheus, config.home, serverLog, () => ({
      ruleFile,
      alertmanagerUrl: this.alertmanager.url(),
    }));
    // Prometheus evaluates the rules from its rule file; the embedded one reloads it when rules change.
    const applyRules = async (rules: AlertRule[]) => {
      writeAlertRuleFile(ruleFile, rules);
      await this.alertmanager.configure(rules);
      // One restarting after an exit reads them once it answers again.
      const status = await this.prometheus.status();
      if (
        config.prometheus.mode === 'embedded' &&
        (status.ready || status.problem?.code === 'prometheus.restarting')
      )
        await this.prometheus.reload();
    };
    // The alert channels deliver what Alertmanager routes back to the rules.
    const delivery: AlertDelivery = {
      deliver: (channel, notifications) => this.alertChannels.deliver(channel, notifications),
      exists: async (channel) => !!(await store.alertChannels.get(channel)),
    };
    this.alertRules = new AlertRules(store.alerts, store.jobs, store.lifecycle, delivery, store.spaces, {
      apply: applyRules,
      consoleUrl: config.publicUrl,
      log: serverLog,
      published: (alert) => this.bus.publish({ type: 'alert', jobName: alert.job, alert }),
    });
    this.prometheusQuery = new HttpPrometheusQuery(this.prometheus);
    this.jobMetrics = new JobMetricsService(store, this.prometheusQuery, this.prometheus);
    this.jobGraph = new JobGraphService(store, this.targets, {
      query: this.prometheusQuery,
      server: this.prometheus,
    });
    this.kafkaLag = new KafkaLagService(
      store,
      this.variables,
      this.kafka,
      this.prometheusQuery,
      this.prometheus,
    );
    this.kafkaOffsets = new KafkaOffsetSampler(
      async () => {
        const [jobs, spaces] = await Promise.all([store.jobs.list(), store.spaces.spacesOf('job')]);
        return jobs.flatMap((j) =>
          j.state === 'RUNNING' && j.flinkJobId
            ? [
                {
                  ...lagJob(j),
                  name: j.name,
                  space: spaces.get(j.name) ?? DEFAULT_SPACE,
                  flinkJobId: j.flinkJobId,
                },
              ]
            : [],
        );
      },
      this.kafkaLag,
      this.kafka,
      serverLog,
    );
    this.bus.subscribe((e) => {
      if (e.type === 'submission') this.metrics.observeSubmission(e.submission);
    });
    // A run's graph is kept when it is first seen RUNNING: drawn again once the run ended.
    this.bus.subscribe((e) => {
      if (e.type === 'job.state' && e.event.to === 'RUNNING')
        void this.jobGraph
          .keep(e.jobName)
          .catch((err: Error) => log.warn({ job: e.jobName }, `keeping the run's graph: ${err.message}`));
    });
    this.bus.subscribe((e) => {
      if (e.type === 'job.state')
        log.info(
          { job: e.jobName, from: e.event.from, to: e.event.to, source: e.event.source },
          e.event.reason,
        );
    });
  }

  static async open(config: SluiceConfig, log: Logger): Promise<Platform> {
    // The home holds the database, the secret key and Flink's logs: owner-only, like those files.
    const say = (line: string) => log.warn(line);
    ownerOnlyFolder(config.home, say);
    tightenIfPresent(path.join(config.home, 'secret.key'), say);
    const artifactStorage = await openArtifactStorage(config, log);
    let store: Store;
    try {
      store = await Store.open({ databaseUrl: config.databaseUrl, home: config.home, say });
    } catch (e) {
      await artifactStorage.close();
      throw e;
    }
    const platform = new Platform(config, store, log, artifactStorage);
    // Secret values are known before anything can log them.
    for (const warning of await platform.variables.load()) log.warn(warning);
    // Said this once, on standard output: only its hash is kept.
    const password = await platform.access.ensureFirstAdmin();
    if (password)
      log.warn(
        { user: 'admin', password },
        `first start: made the platform admin "admin" with the password ${password}. It is shown only now: keep it to sign in to the console (the CLI of this OS user needs no sign-in).`,
      );
    return platform;
  }

  /**
   * Adopts clusters a killed platform left running, settles submissions it left half-way, starts
   * tracking, then (with autoStart) provisions the default engine and starts its cluster in the
   * background: the API is up before Flink is.
   */
  async boot(): Promise<void> {
    // The grammar's first run takes several hundred ms; pay it before the first keystroke does.
    setImmediate(() => warmUpSyntaxChecker());
    const adopted = await this.targets.adoptLeftovers((line) => this.log.info(line));
    // A local Kafka broker left running by a killed platform is adopted, as its Flink clusters are.
    if (LocalKafkaBroker.hasLiveProcess(path.join(this.config.home, 'kafka', 'local')))
      await this.kafka
        .startLocal((line) => this.log.info(line))
        .catch((e: Error) => this.log.warn(`could not adopt the local Kafka broker: ${e.message}`));
    await this.debug.cancelLeftovers(adopted, (line) => this.log.warn(line));
    await reconcileInterruptedSubmissions(this.store, this.targets, this.states, (l) => this.log.warn(l));
    await this.tracker.tick();
    this.tracker.start(this.config.trackerIntervalMs);
    // After the reconciliation: a switch missed while the server was down sees the jobs as they are.
    this.profileSchedules.start();
    // Adopting applied the log retention; runs age while no new one starts: applied again hourly.
    this.logPruning = setInterval(() => void this.pruneLogs(), LOG_PRUNING_INTERVAL_MS);
    this.logPruning.unref();
    if (this.config.ldap?.syncIntervalMs) this.directorySync.start(this.config.ldap.syncIntervalMs);
    const version = this.config.defaultEngineVersion;
    // Flink's SQL parser judges the editor's syntax checks: start its JVM before the first keystroke.
    const installed = !!(await this.store.engines.get(version));
    if (installed) this.sqlParsers.warm(version);
    if (!this.config.autoStart) return;
    const op = this.operations.start('bootstrap', version, async (progress) => {
      if (!(await this.store.engines.get(version))) {
        await this.engines.install(version, progress);
        this.sqlParsers.warm(version);
      }
      const name = await this.targets.defineDefault(version);
      const status = await this.targets.start(name, progress);
      if (this.config.warmSandbox)
        void this.debug
          .warmUp(name)
          .then(() => this.log.info(`the debug sandbox on cluster ${name} is warm`))
          .catch((e: Error) => this.log.warn(`warming the debug sandbox failed: ${e.message}`));
      return status;
    });
    this.bootstrapOperationId = op.id;
  }

  /**
   * Starts the embedded Prometheus, or checks the user's, once the API answers at `apiUrl` (the
   * embedded one scrapes it there), and the sampling of the Kafka offsets /metrics serves. Never throws: a Prometheus that cannot start is said in health.
   */
  async startPrometheus(apiUrl: string): Promise<void> {
    // What /metrics serves of the running jobs' Kafka partitions, for any Prometheus scraping it.
    this.kafkaOffsets.start(this.config.kafka.offsetSampleIntervalMs);
    // Alertmanager first: Prometheus is configured with its address and the rule file.
    const rules = await this.store.alerts.rules().catch(() => []);
    writeAlertRuleFile(alertRuleFile(this.config.home), rules);
    // Their own tokens, new at each start, in owner-only files their configurations name: Prometheus
    // reads (/metrics, the scrape targets), Alertmanager posts its webhook.
    writeServiceToken(
      this.config.home,
      'prometheus',
      await this.access.serviceToken('embedded prometheus', ['read']),
    );
    writeServiceToken(
      this.config.home,
      'alertmanager',
      await this.access.serviceToken('alertmanager webhook', ['read', 'write']),
    );
    await this.alertmanager.configure(rules);
    await this.alertmanager.start(apiUrl);
    await this.prometheus.start(apiUrl);
  }

  /** The log retention (SLUICE_LOG_RETENTION_RUNS, SLUICE_LOG_RETENTION) applied to every target in use now. */
  async pruneLogs(): Promise<void> {
    await this.targets
      .pruneLogs((line) => this.log.info(line))
      .catch((e: Error) => this.log.warn(`the log retention could not be applied: ${e.message}`));
  }

  async close(): Promise<void> {
    if (this.logPruning) clearInterval(this.logPruning);
    this.logPruning = null;
    this.tracker.stop();
    await this.kafkaOffsets.stop();
    await this.directorySync.stop();
    await this.prometheus.stop();
    await this.alertmanager.stop();
    await this.sqlParsers.close();
    // No scheduled switch starts once the switches under way are being wound down.
    await this.profileSchedules.stop();
    await this.profiles.stop();
    await this.submissions.settled();
    await this.debug.close();
    // A build can take half an hour: stopped (and failed, storing nothing) rather than waited for.
    this.artifacts.stopBuilds();
    await this.operations.settleAll();
    await this.targets.stopAll();
    await this.kafka.broker.stop();
    await this.store.close();
    await this.artifactStorage.close();
    this.variables.close();
  }
}

/**
 * The artifact storage the configuration names: a folder under the home, or an S3-compatible bucket
 * (with its local cache under the home) that must answer before the platform starts.
 */
async function openArtifactStorage(config: SluiceConfig, log: Logger): Promise<ArtifactStorage> {
  const settings = config.artifactStorage;
  if (settings.kind === 'local') return new ArtifactFiles(path.join(config.home, 'artifacts'));
  // Loaded only when configured: the AWS SDK costs 0.2-0.4 s of every start otherwise.
  const { S3ArtifactStorage } = await import('../adapters/artifacts/s3-artifact-storage.ts');
  const s3 = new S3ArtifactStorage(settings, path.join(config.home, 'artifacts', 's3-cache'));
  try {
    await s3.checkReachable();
  } catch (e) {
    await s3.close();
    throw e;
  }
  log.info(
    { endpoint: settings.endpoint, bucket: settings.bucket, prefix: settings.prefix },
    'artifacts are stored in S3-compatible storage',
  );
  return s3;
}
