/**
 * What the platform says to people, as a code with parameters: the server renders the English text
 * from these templates (the CLI, logs and API `message` fields), and the console renders the same
 * code in the user's language. Parameters are text, numbers, or messages of their own.
 * Placeholders are written `{{name}}`, as i18next writes them.
 */
export const MESSAGES = {
  // Why a job is in its state (job events and the job's state reason).
  'lifecycle.requested': '{{kind}} requested by {{author}} (submission #{{submission}})',
  'lifecycle.upgradeFrom': 'upgrade to version {{version}} from savepoint {{savepoint}}',
  'lifecycle.failedAtStep': '{{kind}} failed at step "{{step}}": {{cause}}',
  'lifecycle.failedNoJob': '{{kind}} failed at step "{{step}}": {{cause}}; no Flink job was created',
  'lifecycle.failedJobGone':
    '{{kind}} failed at step "{{step}}": {{cause}}; the job is gone from the cluster',
  'lifecycle.failedJobIs':
    '{{kind}} failed at step "{{step}}": {{cause}}; the job is {{flinkState}} in Flink',
  'lifecycle.jobManagerAnswers': 'the JobManager of cluster {{cluster}} answers at {{url}}',
  'lifecycle.taskManagersRegistered': '{{count}} TaskManager(s) registered on cluster {{cluster}}',
  'lifecycle.running': 'Flink job {{flinkJobId}} is RUNNING with all tasks running (version {{version}})',
  'lifecycle.failureWhileStarting': 'Flink reports {{flinkState}} after a failure: {{cause}}',
  'lifecycle.endedForUpgrade':
    'Flink job {{flinkJobId}} ended for an upgrade in place to version {{version}}: {{carried}}',
  'lifecycle.stoppedWithSavepoint':
    'Flink job {{flinkJobId}} {{flinkState}} after stop-with-savepoint {{savepoint}}',
  'lifecycle.afterCancel': 'Flink job {{flinkJobId}} {{flinkState}} after cancel',
  'lifecycle.cancelRequested': 'cancel requested by {{author}} while the job was {{submissionInFlight}}',
  'lifecycle.cancelledDuringStart':
    '{{kind}} cancelled by {{author}} after step "{{step}}"; nothing of it keeps running',
  'tracker.clusterSilent': 'cluster {{cluster}} does not answer: {{detail}}; last seen {{state}}',
  'tracker.jobGone':
    'Flink job {{flinkJobId}} no longer exists on cluster {{cluster}}: the cluster was restarted without recovering it',
  'tracker.reports': 'Flink reports {{flinkState}}',
  'tracker.reportsTasks': 'Flink reports {{flinkState}} with {{tasks}}',
  'tracker.reportsCause': 'Flink reports {{flinkState}}: {{cause}}',
  'tracker.cancelledBehind':
    'Flink reports {{flinkState}}: cancelled in Flink directly (its REST API or Web UI), not through Sluice',
  'tracker.jobManagerExited':
    "the JobManager of Flink job {{flinkJobId}}'s application cluster on {{cluster}} exited, and the job cannot run without it (it is not restarted: it would run the job from its beginning again). Its last log lines:\n{{log}}",
  'tracker.podFailing':
    "pod {{pod}} of Flink job {{flinkJobId}}'s cluster on {{cluster}} does not run: {{reason}}: {{detail}} (Flink reports {{flinkState}})",
  'tracker.answersAgain': '{{reason}} (cluster {{cluster}} answers again)',
  'reconcile.clusterSilent':
    'submission #{{submission}} was interrupted and cluster {{cluster}} does not answer',
  'reconcile.adoptedStarting':
    'start interrupted by a platform restart during "{{step}}"; its cluster was applied and comes up ({{status}}): adopted, Flink job {{flinkJobId}}',
  'reconcile.reattached': 're-attached Flink job {{flinkJobId}} after a platform restart ({{flinkState}})',
  'reconcile.rolledBack':
    'start interrupted by a platform restart during "{{step}}" before Flink received the job; start it again',
  'reconcile.flinkReports':
    'after a platform restart interrupted {{kind}} #{{submission}}, Flink reports {{flinkState}}',
  // Why a command is refused.
  'command.busy': 'it is busy: {{submissionInFlight}}; wait for it to finish',
  'command.unseen': 'the platform cannot see it right now (last seen {{state}}); wait, or cancel it',
  'command.alreadyLive': 'it is already {{state}}; stop it before starting it again',
  'command.alreadyLiveAs':
    'it is already {{state}} as Flink job {{flinkJobId}}; stop it before starting it again',
  'command.notFailed': 'it is {{state}}, not FAILED',
  'command.notRunning': 'it is {{state}}, not running',
  'command.noFlinkJob': 'it has no Flink job',
  'command.savepointNeedsRunning': 'it is {{state}}; a savepoint needs a RUNNING job',
  'command.stopFirst': 'it is {{state}}: stop or cancel it before deleting it',
  'command.refused': 'cannot {{command}} job {{job}}: {{why}}',
  'job.busy':
    'job {{job}} is busy: {{submissionInFlight}} (submission #{{submission}}); wait for it to finish',
  'job.notFound': "job '{{job}}' does not exist: list jobs with `sluice job list`",
  'job.exists': "a job named '{{job}}' already exists: choose another name",
  'job.emptyScript': 'sql: the script is empty',
  'job.changedSince':
    'the job changed since version {{base}} you edited: it is now at version {{current}}. Nothing was saved; reload version {{current}}, reapply your change and save again.',
  'job.noSavepointPath': 'savepoint {{path}} does not exist on this machine',
  'job.notASavepoint':
    '{{path}} holds no savepoint or checkpoint (no _metadata file in it): give the folder of a savepoint (savepoint-...) or a checkpoint (chk-N)',
  'job.noFileSystem':
    'savepoint {{path}} is on {{scheme}}:, for which the engine of cluster {{cluster}} has no file system: add {{add}} to its plugins folder, or give a path it can read',
  'job.noLatestState':
    'job {{job}} has no savepoint or retained checkpoint recorded: start it without --from-savepoint, or give a path',
  'job.badName':
    "'{{name}}' is not a valid job name: use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  'job.badParallelism': '{{value}} is not a valid parallelism: use a whole number from 1 to 1024',
  'job.targetEngine':
    'deployment target {{target}} runs Flink {{targetEngine}}, but the job asks for {{engine}}: choose a target of that version or leave the target out',
  'job.versionNotFound': "version '{{version}}' does not exist: job {{job}} has versions 1 to {{current}}",
  'job.submissionNotFound':
    "submission '{{job}}#{{number}}' does not exist: list them with `sluice job submissions {{job}}`",
  // Sluice's rules for a job script (checked when it is saved, and again before it is submitted).
  'job.atLine': 'line {{line}}: {{why}}',
  'job.badOption': "option '{{key}}': {{problem}}",
  'job.unquotedSet': "a SET in a job script must be SET 'key' = 'value' (quoted key and value)",
  'job.resetInScript': 'RESET is not allowed in a job script; remove the option from the job instead',
  'job.queryInScript':
    'a job script cannot contain a query (SELECT): write its result with INSERT INTO a sink table',
  'job.noInsert':
    'the script has no INSERT statement, so it would start no Flink job: add INSERT INTO <sink> SELECT ...',
  // A Flink option's value that Flink would refuse.
  'option.noKey': 'an option needs a key',
  'option.restartStrategy':
    "Flink's restart strategy is the job's restart policy: set it there (the restart policy field, `--restart` in the CLI), not as an option",
  'option.notADuration':
    "'{{value}}' is not a duration: write a number and a unit such as 30 s, 5 min, 2 h or 500 ms",
  'option.tooShort': "'{{value}}' is too short: Flink needs at least {{min}} ms",
  'option.notOneOf': "'{{value}}' is not one of {{values}}",
  'option.notABoolean': "'{{value}}' is not true or false",
  'option.notAWholeNumber': "'{{value}}' is not a whole number",
  'option.outOfRange': '{{value}} is out of range: use {{min}} to {{max}}',
  'option.notAStateBackend':
    "'{{value}}' is not a state backend: use hashmap, rocksdb, or the class name of a state backend factory",
  'option.maxParallelismBelow':
    "{{max}} is below the job's parallelism {{parallelism}}: Flink cannot run more parallel tasks than key groups",
  // Restart and resubmit policies.
  'restart.range': '{{value}}: use from {{min}} to {{max}}',
  'restart.rangeWhole': '{{value}}: use a whole number from {{min}} to {{max}}',
  'restart.backoffShrinks': '{{max}} is below the initial back-off {{initial}}: the back-off only grows',
  'restart.valueMissing': 'a value is missing',
  'restart.notANumber': "'{{text}}' is not a number",
  'restart.badSpec': 'use {{help}}',
  'restart.none': 'Flink does not restart the job: the first failure fails it',
  'restart.fixedDelayOnce': 'Flink restarts the job up to {{attempts}} time, {{delay}} s apart',
  'restart.fixedDelay': 'Flink restarts the job up to {{attempts}} times, {{delay}} s apart',
  'restart.exponentialDelay':
    'Flink restarts the job up to {{attempts}} times, waiting {{initial}} s growing x{{multiplier}} to at most {{max}} s',
  'restart.failureRate':
    'Flink restarts the job {{delay}} s after a failure, unless it failed more than {{failures}} times within {{interval}} s',
  // Why a submission failed: the step, and what Sluice or Flink said.
  'submission.stepFailed': 'step "{{step}}" failed: {{cause}}',
  'submission.noVersion': 'version {{version}} of job {{job}} does not exist',
  'submission.targetEngine':
    'deployment target {{target}} runs Flink {{targetEngine}} but version {{version}} asks for {{engine}}',
  'submission.at': 'line {{line}}, column {{column}}: {{problem}}',
  'submission.scriptRefused': 'the script cannot run: {{problem}}',
  'submission.scriptRefusedOneMore': 'the script cannot run: {{problem}} (and {{more}} more problem)',
  'submission.scriptRefusedMore': 'the script cannot run: {{problem}} (and {{more}} more problems)',
  'submission.catalogRefused': 'Flink could not create catalog {{catalog}}: {{cause}}',
  'submission.statementRefused':
    'Flink rejected the statement at line {{line}}, column {{column}}: {{cause}}',
  'submission.insertRefused': 'Flink rejected the INSERT statement at line {{line}}: {{cause}}',
  'submission.insertsRefused': 'Flink rejected the INSERT statements at lines {{lines}}: {{cause}}',
  'submission.otherJobId': 'Flink started job {{started}} instead of the reserved {{reserved}}',
  'submission.ended': 'the Flink job ended {{flinkState}} before running',
  'submission.endedCause': 'the Flink job ended {{flinkState}} before running: {{cause}}',
  'submission.endedGaveUp': 'the Flink job ended {{flinkState}} before running (Flink gave up: {{policy}})',
  'submission.endedGaveUpCause':
    'the Flink job ended {{flinkState}} before running (Flink gave up: {{policy}}): {{cause}}',
  'submission.sameCause': 'the Flink job failed {{count}} times with the same cause before it ran: {{cause}}',
  'submission.still': 'the Flink job is still {{flinkState}} after {{seconds}} s',
  'submission.stillTasks': 'the Flink job is still {{flinkState}} after {{seconds}} s ({{tasks}})',
  'submission.noSlots': '{{waited}}: not enough free slots: {{cause}}',
  'submission.latestFailure': '{{waited}}; its latest failure: {{cause}}',
  'submission.noFailure': '{{waited}}; Flink reports no failure',
  'submission.savepointFailed': 'Flink could not take the savepoint: {{cause}}',
  'submission.notEnded': 'Flink job {{flinkJobId}} is still {{flinkState}} after {{seconds}} s',
  'jars.refused':
    'cluster {{cluster}} could not add artifact {{artifact}} ({{path}}) to the SQL session: {{cause}}',
  'jars.remoteUnreadable':
    "the SQL Gateway of remote session cluster {{cluster}} cannot read artifact {{artifact}} at {{path}}, where Sluice stores it ({{cause}}): a remote session's gateway must see Sluice's artifact folder at the same path (a shared file system); otherwise run the job on a local session or local application target",
  'jars.stagedUnreadable':
    "the SQL Gateway of session cluster {{cluster}} cannot read jar {{artifact}} at {{path}}, where Sluice copied it into the session's folder ({{cause}}): the gateway's pod must see the target's shared folder at the same path as Sluice's machine; check the target's --shared-dir (and, with --shared-claim, that the volume holds that folder), then start the job again",
  'jars.stagedChanged':
    'the copy of {{path}} for session cluster {{cluster}} has sha256 {{got}}, not {{expected}}: the stored artifact was changed outside Sluice; nothing was staged or added. Upload the artifact again',
  'reconcile.interruptedSilent':
    'interrupted by a platform restart during "{{step}}"; cluster {{cluster}} does not answer, so the outcome is not known yet',
  'reconcile.interrupted':
    'interrupted by a platform restart during "{{step}}"; Flink reports {{flinkState}}',
  'reconcile.finishedAsAsked':
    'finished after a platform restart: Flink reports {{flinkState}}, as the {{kind}} asked',
  'reconcile.finished':
    'finished after a platform restart: Flink job {{flinkJobId}} exists ({{flinkState}}) and is re-attached',
  'reconcile.rolledBackSubmission':
    'rolled back after a platform restart during "{{step}}": Flink never received the job',
  'reconcile.rolledBackId':
    'rolled back after a platform restart during "{{step}}": Flink never received the job (id {{flinkJobId}} is unknown to the cluster; the next start reuses it, so a late copy is refused by Flink)',
  // Engines: installing, registering, and the tools that needs.
  'engine.notFound': "engine '{{engine}}' does not exist: install it with `sluice engine install {{engine}}`",
  'engine.noneInstalled': 'no Flink engine is installed: run `sluice engine install 1.20` first',
  'engine.alreadyRegistered':
    'engine {{engine}} is already registered from {{home}}; remove it before installing a provisioned one',
  'engine.noHome': '{{home}} does not exist',
  'engine.exists':
    'engine {{engine}} already exists (Flink {{flinkVersion}} at {{home}}); engines are keyed by minor version, remove it first',
  'engine.noLib': '{{home}} is not a Flink installation: it has no lib/ folder',
  'engine.manyDistJars': '{{lib}} holds {{count}} flink-dist jars ({{jars}}): keep exactly one',
  'engine.noDistJar': '{{home}} is not a Flink installation: lib/ has no flink-dist or flink-runtime jar',
  'engine.noGatewayJar':
    '{{home}} has no opt/flink-sql-gateway-*.jar: Sluice runs SQL through the SQL Gateway (Flink 1.16+ ships it in opt/)',
  'engine.unsupportedVersion':
    'Flink {{version}} cannot be provisioned: supported versions are {{supported}}. For another version register an existing installation with `sluice engine add --home <dir>`.',
  'engine.corruptArtifacts':
    'Flink {{flinkVersion}}: {{artifacts}} failed checksum verification twice; the repository serves a corrupt file. Nothing was installed.',
  'engine.cannotRunMaven': 'could not run Maven ({{mvn}}): {{detail}}',
  'engine.mavenMissing':
    'Maven could not find {{artifacts}} in the repository. The Flink modules of this version are not published there; nothing was installed.',
  'engine.mavenOffline':
    'Maven could not reach the repository (no network or a blocked proxy). Already-downloaded files are kept in the Maven cache; run the install again when the network is back, or point SLUICE_MAVEN_MIRROR at a reachable repository.',
  'engine.pluginUnavailable':
    'Flink {{flinkVersion}} lacks the plugin {{coordinates}} and Maven could not fetch it: {{detail}}. The engine was left as it was; run the install again once the repository serves it (or point SLUICE_MAVEN_MIRROR at one that does).',
  'engine.mavenFailed': 'Maven failed: {{detail}}',
  'engine.mavenFailedSilently': 'Maven failed: no error message',
  'maven.compileFailed': 'javac refused the sources:\n{{errors}}',
  'maven.buildFailed': 'building {{what}} for Flink {{flinkVersion}} with Maven failed: {{detail}}',
  'maven.jarMissing':
    'Maven built {{what}} in {{project}} but made no {{jar}}: the pom and the builder disagree',
  'system.noJava':
    'Java was not found: no `java` on PATH and no JAVA_HOME. Flink needs a Java 17 runtime: install it (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.',
  'system.noJavaVersion': "'{{java}} -version' did not report a Java version: {{output}}",
  'system.unsupportedJava':
    'Java {{major}} at {{java}} cannot run Flink here: use Java 17 (or 11). Set JAVA_HOME to a Java 17 installation.',
  'system.noMaven':
    'Maven (`mvn`) was not found on PATH. Sluice assembles Flink from Maven Central with it: install it (Debian: apt-get install -y maven), or register an existing Flink with `sluice engine add --home <dir>`.',
  'system.noGit':
    'git was not found on PATH. Building artifacts from a git repository needs it: install it (Debian: apt-get install -y git).',
  'system.noPrometheus':
    "no `prometheus` on the PATH: Sluice runs Prometheus from Debian's package; install it (Debian: apt-get install -y --no-install-recommends prometheus; npm start does), or set SLUICE_PROMETHEUS_URL to use yours, or SLUICE_PROMETHEUS=off for none",
  'system.cannotRun': 'could not run {{command}}: {{detail}}',
  // Flink's SQL parser helper (syntax checks).
  'parser.noPlanner':
    "{{lib}} has neither flink-table-planner-loader nor flink-table-planner: Flink's SQL parser is not there",
  'parser.noJavac':
    "javac was not found beside {{java}}: Flink's SQL parser helper is compiled on this machine. Install a JDK (Debian: apt-get install -y openjdk-17-jdk-headless).",
  'parser.unknownPlannerPackaging':
    "{{jar}} holds no flink-table-planner.jar: this Flink's planner is packaged in a way Sluice does not know",
  'parser.buildFailed': '{{tool}} failed (exit {{code}}) building the SQL parser helper: {{output}}',
  'parser.timeout':
    '{{name}} did not answer within {{seconds}} s ({{count}} statements); it is restarted for the next check',
  'parser.startTimeout': '{{name}} did not start within {{seconds}} s',
  'parser.refused': '{{name}} refused the request: {{detail}}',
  'parser.cannotStart': 'could not start {{name}} with {{java}}: {{detail}}',
  'parser.exited': '{{name}} exited ({{how}})',
  'parser.exitedSaying': '{{name}} exited ({{how}}): {{stderr}}',
  'parser.exitedRestart': '{{why}}; it is started again for the next check',
  // Deployment targets and their session clusters: definitions, processes and health.
  'target.notFound':
    "deployment target '{{target}}' does not exist: list them with `sluice target list`; start a local session target with `sluice cluster start <name> --engine <version>` or register a remote one with `sluice cluster register`",
  'target.badName':
    "'{{name}}' is not a valid deployment target name: use lower-case letters, digits, '.' and '-'",
  'cluster.noMetricsPort':
    'no free port for a Prometheus reporter between {{first}} and {{last}}: every one is in use. Stop clusters you no longer need, then start again.',
  'cluster.badPort': '{{value}} is not a port from 1024 to 65535',
  'cluster.samePorts': 'restPort, rpcPort and gatewayPort must be three different ports',
  'cluster.badTaskManagers': '{{value}} TaskManagers: use 1 to 8',
  'cluster.badSlots': '{{value}} slots: use 1 to 64',
  'target.isRemote': 'deployment target {{target}} is a remote session target, not a local one',
  'target.isLocal': 'deployment target {{target}} is a local session target; choose another name',
  'cluster.badUrl': "'{{url}}' is not an http(s) URL",
  'cluster.noFlinkAt': 'no Flink answers at {{url}}: {{detail}}',
  'target.remoteNoProcesses':
    "deployment target {{target}} is a remote session target: Sluice does not run its session cluster's processes",
  'cluster.stopping': 'cluster {{cluster}} is stopping',
  'cluster.notRunning':
    'session cluster {{cluster}} is not running: start it with `sluice cluster start {{cluster}}` to see its slots',
  'cluster.alreadyStarting': 'cluster {{cluster}} is already starting',
  'cluster.startPortInUse':
    'cannot start cluster {{cluster}}: port {{port}} ({{field}}) is already in use by another program. Stop it, or give the cluster another port.',
  'cluster.noPid': 'could not start {{process}}: no pid',
  'cluster.restTlsKeys':
    "could not make the keys of the local clusters' TLS in {{dir}} with the JDK's keytool: {{detail}}. Install a JDK whose bin/ has keytool, or set SLUICE_FLINK_REST_TLS=off to serve the local clusters in plain HTTP",
  'cluster.crashing':
    '{{process}} of cluster {{cluster}} exited {{count}} times while starting. Its last log lines:\n{{log}}',
  'cluster.applicationJobManagerExited':
    'the JobManager of application cluster {{cluster}} exited while it started the job; it is not restarted, since it would run the job from its beginning again. Its last log lines:\n{{log}}',
  'cluster.notHealthy':
    'cluster {{cluster}} did not become healthy within {{seconds}} s: {{process}} is not ready. Its last log lines:\n{{log}}',
  'cluster.memoryRefused': "Flink rejected the cluster's memory settings ({{process}}): {{cause}}",
  'cluster.memoryRefusedSilently': "Flink rejected the cluster's memory settings ({{process}}): no message",
  'target.isApplication':
    '{{target}} is a local application target: each job on it runs in an application cluster of its own, started with the job and gone when it ends, so there is no session cluster to define, start or stop; start a job whose target is {{target}} instead',
  'target.applicationName':
    '{{target}}: names that start with local-application- are the local application targets of the engines; choose another name',
  'cluster.applicationJobManagerSilent':
    "the JobManager of Flink job {{flinkJobId}}'s application cluster did not answer within {{seconds}} s. Its last log lines:\n{{log}}",
  'cluster.applicationTaskManagersMissing':
    "{{registered}} of {{expected}} TaskManagers of Flink job {{flinkJobId}}'s application cluster registered within {{seconds}} s. The last log lines of taskmanager-1:\n{{log}}",
  'cluster.applicationJobNotSubmitted':
    "the JobManager of Flink job {{flinkJobId}}'s application cluster did not submit the job within {{seconds}} s. Its last log lines:\n{{log}}",
  'cluster.applicationGone': 'the application cluster of Flink job {{flinkJobId}} is not running',
  'cluster.noTaskManager': 'cluster {{cluster}} has no TaskManager registered, so no job can run on it',
  'cluster.noGateway':
    'cluster {{cluster}} has no SQL Gateway address, so SQL jobs cannot be deployed to it: register it with --gateway-url',
  // The logs of a job's cluster processes.
  'logs.noLogs': 'deployment target {{target}} (kind {{kind}}) cannot show the logs of its Flink processes',
  'logs.noRun':
    'job {{job}} has no kept logs of run {{run}}: list its runs and sources with `sluice job logs {{job}} --list`',
  'logs.noSource':
    "job {{job}} has no log source '{{source}}': its sources are {{sources}} (`sluice job logs {{job}} --list`)",
  'logs.noSources':
    'job {{job}} has no logs yet: it has not run on deployment target {{target}}, or its run folders were deleted',
  'logs.fileGone': "log file '{{source}}' is not in {{folder}} (deleted or rolled over since it was listed)",
  'logs.restRefused':
    "Flink's REST API did not serve log '{{source}}' (HTTP {{status}}): list the sources again",
  // A job's exception history (Flink's /jobs/:jobid/exceptions).
  'exceptions.noRun':
    'job {{job}} has no run {{run}}: give the Flink job id of one of its submissions (`sluice job submissions {{job}}`)',
  'exceptions.clusterSilent':
    'the cluster of Flink job {{run}} on deployment target {{target}} does not answer: {{detail}}; ask again once it runs',
  'graph.notRunning':
    'job {{job}} is {{state}}: its live graph is read from its cluster while it runs (`sluice job start {{job}}`); a past run is drawn at a moment it ran (`sluice job graph {{job}} --at -10m`)',
  'graph.badMoment':
    "'{{value}}' is not a moment: give an ISO 8601 time such as 2026-12-03T12:00:00Z, or how long ago as - and a Prometheus duration such as -10m",
  'graph.momentAhead': '{{at}} is after now ({{now}}): give a moment in the past',
  'graph.beyondRetention':
    '{{at}} is older than Prometheus keeps samples ({{retention}}: nothing before {{oldest}}): give a later moment',
  'graph.noRunAt':
    'no run of job {{job}} has series in Prometheus at {{at}}: it did not run then, or Prometheus did not scrape it yet; pick a moment where its Metrics charts have lines',
  'graph.runNotKept':
    "Sluice kept no graph of Flink job {{run}} of job {{job}}: a run's graph is kept when Sluice first sees it RUNNING, and this one ran before (or without Sluice seeing it)",
  'graph.clusterGone':
    'the cluster on deployment target {{target}} no longer knows Flink job {{run}}: the job does not run there now',
  'exceptions.notRunYet': 'job {{job}} has not run on Flink yet, so it has no exception history',
  'exceptions.clusterGone':
    "the cluster that ran Flink job {{run}} no longer knows it (an application cluster ends with its job; a session cluster forgets a finished job after jobstore.expiration-time): Flink's exception history went with it",
  'exceptions.recorded':
    "the cluster that ran Flink job {{run}} no longer knows it, so Flink's exception history went with it; shown: the root cause Sluice recorded when the run failed",
  // A job's metric charts (Prometheus range queries).
  'metrics.badTime': "'{{value}}' is not a time: give an ISO 8601 time such as 2026-12-03T12:00:00Z",
  'metrics.toNotAfterFrom':
    'the range ends ({{to}}) before or when it starts ({{from}}): give a `to` after `from`',
  'metrics.stepTooSmall': 'a step of {{step}} s is under one second: give 1 or more',
  'metrics.tooManyPoints':
    'a step of {{step}} s gives {{points}} points per series, more than the {{max}} Prometheus answers: give a step of {{least}} s or more, or a shorter range',
  'metrics.noFlinkJob':
    'job {{job}} has not run yet, so it has no Flink job id and no metrics: start it (`sluice job start {{job}}`)',
  // What Flink's REST API and SQL Gateway answered (their own words are parameters).
  'flink.cause': '{{cause}}',
  'flink.restUnreachable': 'Flink REST API at {{url}} is unreachable: {{detail}}',
  'flink.restAnswered': 'Flink REST {{path}} answered {{status}}: {{body}}',
  'flink.jarRunRefused': 'Flink refused {{path}} ({{status}}): {{cause}}',
  'flink.savepointTimeout': 'the savepoint did not complete within {{seconds}} s',
  'flink.savepointFailed': 'Flink could not take the savepoint',
  'flink.gatewayUnreachable': 'SQL Gateway at {{url}} is unreachable: {{detail}}',
  'flink.statementEnded': 'the statement ended {{status}}',
  'flink.statementTimeout': 'the SQL Gateway did not finish the statement within {{seconds}} s',
  // Workspace catalogs.
  'catalog.notFound': "catalog '{{catalog}}' does not exist: list them with `sluice catalog list`",
  'catalog.badName':
    "'{{name}}' is not a valid catalog name: use letters, digits and '_', starting with a letter or '_', not default_catalog",
  'catalog.badType':
    "'{{type}}' is not a catalog type: use the factory name, such as jdbc or generic_in_memory",
  'catalog.typeAsOption': "give the catalog type as `type`, not as the option 'type'",
  'catalog.inUse': 'catalog {{catalog}} is chosen by job(s) {{jobs}}: remove it from them first',
  'catalog.notDefined':
    'catalog {{catalog}} is not defined in the workspace: define it with `sluice catalog set`',
  'catalog.typeMissing':
    "type: catalog type '{{type}}' is not available on engine {{engine}}: it has {{available}}. {{howToAdd}}",
  'catalog.typeMissingConnector':
    "type: catalog type '{{type}}' is not available on engine {{engine}}: it has {{available}}. For {{type}}, add the jar of {{connector}}. {{howToAdd}}",
  'catalog.howToAdd':
    "A catalog type comes with its connector jar: put the jar into {{libDir}} and restart the engine's clusters (`sluice cluster stop <name>`, then `sluice cluster start <name>`); or register a Flink distribution whose lib/ has it with `sluice engine add --home <dir>`.",
  'catalog.howToAddRemote':
    'The cluster is remote: the catalog types are those of its own Flink installation (its lib/ folder); Flink checks the type when the catalog is created.',
  // Artifacts: jars kept by the platform, their checks, and the UDFs found in them.
  'artifact.notFound': "artifact '{{artifact}}' does not exist: list them with `sluice artifact list`",
  'artifact.versionNotFound':
    'artifact {{artifact}} has no version {{version}}: its versions are {{versions}} (`sluice artifact get {{artifact}}`)',
  'artifact.badName':
    "'{{name}}' is not a valid artifact name: use 1-100 lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit (or give one with --name)",
  'artifact.badReference':
    "'{{reference}}' is not an artifact reference: write name or name@version (as `sluice artifact list` shows them)",
  'artifact.badCoordinates':
    "'{{coordinates}}' are not Maven coordinates: write group:artifact:version or group:artifact:version:classifier",
  'artifact.emptyFile': '{{file}} is empty: upload the jar file itself',
  'artifact.tooLarge':
    '{{file}} has {{size}} bytes, more than the limit of {{limit}} bytes (SLUICE_ARTIFACT_MAX_BYTES); nothing was stored',
  'artifact.notAZip': '{{file}} is not a jar (not a zip archive: {{detail}}); nothing was stored',
  'artifact.noManifest':
    '{{file}} has no META-INF/MANIFEST.MF, so it is not a jar: build it with the jar tool or Maven; nothing was stored',
  'artifact.noEntryClass':
    '{{file}} has no class {{class}} (it has {{classes}} top-level classes): check the entry class name and package; nothing was stored',
  'artifact.noMainClass':
    'the manifest of {{file}} names Main-Class {{class}}, which is not in the jar ({{classes}} top-level classes): fix the build; nothing was stored',
  'artifact.inUse':
    'artifact {{artifact}} is used by job(s) {{jobs}}: delete those jobs or save versions of them without it first',
  'artifact.versionInUse':
    'version {{version}} of artifact {{artifact}} is used by job(s) {{jobs}}: delete those jobs or save versions of them without it first',
  'artifact.mavenFailed': 'Maven could not resolve {{coordinates}} from {{repository}}: {{detail}}',
  'artifact.scanFailed': 'the functions of {{artifact}} version {{version}} could not be read: {{detail}}',
  'artifact.noEngine':
    'reading functions needs an installed engine and a JDK (javac): install one with `sluice engine install 1.20`',
  'artifact.s3Unreachable':
    'the S3 artifact storage cannot be used: HeadBucket of bucket {{bucket}} at {{endpoint}} failed ({{cause}}); check SLUICE_ARTIFACT_S3_ENDPOINT, SLUICE_ARTIFACT_S3_BUCKET and the credentials, or unset the SLUICE_ARTIFACT_S3_* variables to keep artifacts under SLUICE_HOME',
  'artifact.s3Failed':
    'the S3 artifact storage (endpoint {{endpoint}}): {{operation}} of {{where}} failed ({{cause}})',
  'artifact.s3ChecksumMismatch':
    'the bytes of {{where}} have sha256 {{actual}}, not {{expected}}: the object was changed outside Sluice; nothing was used. Upload the artifact again',
  // A jar built from a git repository with `mvn package`.
  'artifact.gitBadUrl':
    "'{{url}}' is not a git repository URL: use https://, http://, ssh://, git:// or file://, or user@host:path",
  'artifact.gitBadRef': "'{{ref}}' is not a branch, tag or commit name",
  'artifact.gitBadModule':
    "'{{module}}' is not a folder of the repository: give a relative path such as jobs/counter, without '..'",
  'artifact.gitBadJarGlob':
    "'{{jar}}' is not a jar file-name pattern: use letters, digits, '.', '_', '-', '+' and the wildcards * and ?",
  'artifact.gitCloneFailed': 'git could not clone the repository: {{detail}}',
  'artifact.gitRefNotFound': "the repository has no branch, tag or commit '{{ref}}': {{detail}}",
  'artifact.gitNoPom':
    'there is no pom.xml in {{dir}} of the repository: name the folder of the Maven project with --module',
  'artifact.gitMavenFailed': 'mvn package failed: {{detail}}',
  'artifact.gitStopped': '{{command}} was stopped: the server is stopping',
  'artifact.gitTimedOut': '{{command}} did not end within {{minutes}} minutes and was stopped',
  'artifact.gitNoJar':
    'the build left no jar in {{where}}: check that the project packages a jar, or name its folder with --module',
  'artifact.gitNoJarMatches': 'no jar in {{where}} matches {{jar}}; the candidates are {{candidates}}',
  'artifact.gitManyJars':
    'the build left more than one jar in {{where}}: {{candidates}}; name the one to keep with --jar <pattern>',
  'artifact.gitBuildFailed':
    'building a jar from {{url}} failed at step "{{step}}": {{cause}}; nothing was stored. The last lines of its log:\n{{tail}}',
  // Workspace variables and secrets.
  'variable.notFound': "variable '{{variable}}' does not exist: list them with `sluice variable list`",
  'variable.badName':
    "'{{name}}' is not a valid variable name: start with a letter or '_', then letters, digits, '_', '.' or '-' (at most 128)",
  'variable.atLine': 'line {{line}}, column {{column}}',
  'variable.atOption': 'option {{option}}',
  'variable.atArgument': 'program argument {{argument}}',
  'variable.undefined':
    'variable ${{{name}}} at {{place}} is not defined: define it with `sluice variable set {{name}} <value>`',
  'variable.undefinedMore':
    'variable ${{{name}}} at {{place}} is not defined (and {{more}} more reference(s) to undefined variables): define it with `sluice variable set {{name}} <value>`',
  'variable.unreadableSecret': 'secret variable {{variable}} is not stored in a form this version reads',
  'variable.wrongKey':
    'secret variable {{variable}} cannot be decrypted with the key from {{keySource}}: it was stored with another key; restore that key or set the variable again',
  // The SQL studio: examples, option changes, debug runs.
  'sql.exampleNotFound': "example '{{example}}' does not exist: list them with `sluice sql examples`",
  'sql.badFlinkVersion': "'{{version}}' is not a Flink version such as 1.20 or 2.0",
  'debug.badRowLimit': '{{value}} rows: use a whole number from 1 to 10000',
  'debug.badTimeLimit': '{{value}} s: use more than 0 and at most 3600',
  'debug.badRowsPerSecond': '{{value}}: use a whole number from 1 to 100000',
  'debug.sqlOrJob': 'give either the SQL or the name of a job, not both',
  'debug.remoteCluster':
    'cluster {{cluster}} is remote: debug runs use a local session cluster or a Kubernetes session target (whose TaskManagers read the shared folder)',
  'debug.runNotFound': "debug run '{{id}}' does not exist: list them with GET /api/v1/sql/debug",
  'debug.jsonOrCsv': 'give the rows as JSON or as CSV, not both',
  'debug.rowNotAnObject': 'each row is a JSON object of column: value',
  'debug.unreadableInsert': 'line {{line}}: this INSERT could not be read',
  'debug.rowsForUnknownTable':
    'rows were given for table {{table}}, but the script declares no table of that name',
  'debug.noColumns':
    'line {{line}}: table {{table}} declares no columns, so a debug run cannot generate its rows',
  'debug.nothingToShow': 'the script has no INSERT and no query, so a debug run would have nothing to show',
  // Why a debug run ended.
  'debug.timeLimit': 'the time limit of {{seconds}} s was reached',
  'debug.rowLimit': 'the row limit of {{rows}} was reached',
  'debug.stoppedOnRequest': 'stopped on request',
  'debug.platformStopping': 'the platform is stopping',
  'debug.queriesEnded': 'every query has ended',
  'debug.statementFailed': 'the statement at line {{line}} failed in the sandbox',
  'debug.redeclaredStatementFailed':
    'the statement at line {{line}} failed in the sandbox (as re-declared for the debug run)',
  'debug.queryFailed': 'the query for {{sink}} failed',
  'debug.failedWith': '{{reason}}: {{problem}}',
  // Flink's Web UI through the platform (/flink/<target>/): what is refused, and what to use instead.
  'proxy.badEncoding': '/flink/{{target}}/{{path}}: the path is not valid percent-encoding',
  'proxy.dotSegments':
    "/flink/{{target}}/{{path}}: paths with dot segments ('.' or '..') are not passed to Flink; name the resource directly",
  'proxy.clusterSilent': 'the cluster of {{target}} does not answer at {{url}}: {{detail}}',
  'proxy.applicationTarget':
    "{{target}} runs each job in a cluster of its own: open a job's Flink Web UI at /flink/{{target}}/<job>/ while the job runs (the job's page links to it)",
  'proxy.noJobThere':
    'there is no job {{job}} on {{target}}: `sluice job list` shows each job with its target',
  'proxy.jobClusterNotRunning':
    "job {{job}} runs in a Flink cluster of its own on {{target}}, and that cluster is not running now (the job is {{state}}): its Flink Web UI is there only while the job runs. Start the job (`sluice job start {{job}}`); what it did is in Sluice's job page, its submissions and the cluster's logs",
  'proxy.unknownEngine':
    "/flink/{{target}}/ is Sluice's read-only view of Flink's Web UI, and Sluice does not know which requests of Flink {{engine}}'s REST API only read (it knows Flink {{known}}): nothing of the cluster of {{target}} is shown through it. Use Sluice's own pages and commands for this cluster.",
  'proxy.refused':
    "/flink/{{target}}/ is Sluice's read-only view of Flink's Web UI: {{what}} is refused here, so that every change is made and recorded by Sluice. {{instead}}",
  'proxy.refusedNotOurs':
    "/flink/{{target}}/ is Sluice's read-only view of Flink's Web UI: {{what}} is refused here, so that every change is made and recorded by Sluice. {{instead}} Flink job {{flinkJobId}} is not one of Sluice's jobs on {{target}}.",
  'proxy.job': "job '{{job}}' (Flink job {{flinkJobId}})",
  'proxy.flinkJob': 'Flink job {{flinkJobId}}',
  'proxy.cancel': 'cancelling {{flinkJob}}',
  'proxy.stop': 'stopping {{flinkJob}}',
  'proxy.savepoint': 'triggering a savepoint of {{flinkJob}}',
  'proxy.checkpoint': 'triggering a checkpoint of {{flinkJob}}',
  'proxy.rescale': 'rescaling {{flinkJob}}',
  'proxy.submit': 'submitting jobs or uploading, running and deleting JARs',
  'proxy.shutdown': 'shutting down the cluster of {{target}}',
  'proxy.disposeSavepoint': 'disposing of a savepoint',
  'proxy.deleteDataset': 'deleting a cluster data set',
  'proxy.profile': 'starting a profiler',
  'proxy.client': "a Flink client's request",
  'proxy.otherRequest': "{{method}} {{path}} (not a request that only reads, in Flink {{engine}}'s REST API)",
  'proxy.insteadCancel': 'Cancel it in Sluice: "Cancel" on the job\'s page, or `sluice job cancel {{job}}`.',
  'proxy.insteadStop':
    'Stop it with a savepoint in Sluice: "Stop" on the job\'s page, or `sluice job stop {{job}}`.',
  'proxy.insteadSavepoint': 'Take it with `sluice job savepoint {{job}}`.',
  'proxy.insteadCheckpoint':
    "Checkpoints follow the job's checkpointing settings (Resources & options in Sluice); for a snapshot now, take a savepoint: `sluice job savepoint {{job}}`.",
  'proxy.insteadRescale':
    'Change its parallelism in Sluice (Resources & options, or `sluice job edit {{job}} --parallelism <n> -m <why>`) and apply it with `sluice job upgrade {{job}}`.',
  'proxy.insteadSubmit':
    'Sluice runs SQL jobs: create one in Sluice ("New job", or `sluice job create`) and start it there.',
  'proxy.insteadShutdown': 'Stop it in Sluice: `sluice cluster stop {{target}}`.',
  'proxy.insteadDisposeSavepoint':
    "Sluice keeps and deletes its jobs' savepoints itself: `sluice job savepoints <job>` lists them.",
  'proxy.insteadReadOnly': 'Only reading requests pass through it.',
  'proxy.insteadOther': 'Only reading requests pass through it; changes are made in Sluice.',
  // The platform itself.
  'operation.notFound': "operation '{{id}}' does not exist",
  'platform.closing': 'the platform is closing',
  // An error Sluice did not word itself (a system call's, a library's): said as it was said.
  'platform.unexpected': '{{detail}}',
  // What the request itself got wrong (the API's schema, checked by Ajv: one code per keyword).
  'request.invalid': '{{where}} {{problem}}',
  'request.required': '{{where}} must have the property {{property}}',
  'request.additionalProperties': '{{where}} must not have the property {{property}}',
  'request.type': '{{where}} must be {{type}}',
  'request.minLength': '{{where}} must have at least {{limit}} characters',
  'request.maxLength': '{{where}} must have at most {{limit}} characters',
  'request.minimum': '{{where}} must be at least {{limit}}',
  'request.maximum': '{{where}} must be at most {{limit}}',
  'request.pattern': '{{where}} must match {{pattern}}',
  'request.flinkVersion': '{{where}} must be a Flink version such as 1.20 or 1.20.3',
  'request.memorySize':
    '{{where}} must be a memory size in whole units as Flink writes them, such as 1536m, 1536 mb or 2g',
  'request.oneOf': '{{where}} must be one of the allowed forms',
  // Where a request comes from: the Host it was sent to, the page that sent it, who asks.
  'request.hostRefused':
    'Host {{name}} is not a name this server answers to (a guard against DNS rebinding): open it as localhost or by an IP address, or add {{name}} to SLUICE_ALLOWED_HOSTS when Sluice is reached under that name (a reverse proxy, a DNS name).',
  'request.originRefused':
    "{{method}} {{path}} refused: it comes from a page of {{origin}}, not from this server's console ({{own}}). A web page of another site may not change anything here; if {{origin}} is a front-end you trust, add it to SLUICE_ALLOWED_ORIGINS.",
  'request.originHidden':
    "{{method}} {{path}} refused: it comes from a page the browser does not name ({{said}}), not from this server's console. A web page of another site may not change anything here; only the origins listed in SLUICE_ALLOWED_ORIGINS may.",
  'request.preflightRefused':
    "cross-origin requests from {{origin}} are not allowed: only this server's console calls the API from a browser. If {{origin}} is a front-end you trust, add it to SLUICE_ALLOWED_ORIGINS.",
  'request.userClaimInvalid':
    'header x-sluice-user: {{value}} is not a user name (1 to 64 letters, digits and . _ @ $ -); it is never recorded as the author (the credential says who you are), so send the OS user name or nothing',
  'server.exposedWithoutTls':
    'Sluice listens on {{host}}, which other machines can reach, over plain HTTP: passwords, API tokens and session cookies would cross the network readable by anyone on the way. Put a reverse proxy that serves HTTPS in front of it, or listen on 127.0.0.1 (SLUICE_HOST or --host).',
  'audit.timeInvalid':
    '{{field}} {{value}} is not a time that exists: give an ISO 8601 time such as 2026-12-04T10:00:00Z',
  'access.unauthenticated':
    '{{method}} {{path}} needs credentials: send an API token (Authorization: Bearer slu_..., made by sluice login or sluice token create), or sign in to the console',
  'access.tokenRefused':
    '{{method}} {{path}}: the API token {{id}} is {{reason}}; sign in again (sluice login) or create a new token (sluice token create)',
  'access.tokenUnknown':
    '{{method}} {{path}}: the API token is not one this server issued (or was deleted with its user); sign in again with sluice login',
  'access.sessionEnded': '{{method}} {{path}}: the console session ended; sign in again',
  'access.scopeMissing':
    '{{method}} {{path}} changes something, and the API token {{id}} may only read: use a token created without --read-only',
  'access.adminOnly': '{{method}} {{path}} is for platform admins; {{user}} is not one',
  'space.nameInvalid':
    "'{{name}}' is not a space name: use 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit",
  'space.notFound':
    "space '{{space}}' does not exist: see `sluice space list`, or ask a platform admin to create it",
  'space.exists': "space '{{space}}' already exists",
  'space.notEmpty': "space '{{space}}' still holds {{things}}: delete them, or move them elsewhere, first",
  'space.defaultKept': "space 'default' is where things land without a space: it cannot be deleted",
  'space.memberNotFound': "{{user}} is not a member of space '{{space}}'",
  'space.userNotFound': "user '{{user}}' does not exist: add it with `sluice user add {{user}}`",
  'space.refused':
    "{{method}} {{path}} needs to {{action}} in space '{{space}}' (role {{needed}} or more); {{user}} is {{role}} there",
  'space.hidden': "{{kind}} '{{name}}' does not exist, or is in a space {{user}} is not a member of",
  'space.elsewhere':
    "{{kind}} '{{name}}' is in space '{{space}}', not '{{asked}}': it stays in its space (leave space out, or delete it there first)",
  'space.nameTaken':
    "{{kind}} '{{name}}' exists already, in a space {{user}} is not a member of: choose another name",
  'space.buildNeedsName':
    "name: name the artifact a build makes, so that it lands in space '{{space}}' (only platform admins may leave it to the build)",
  'space.foreignReference':
    "{{kind}} '{{name}}' is not in space '{{space}}': what is made or run in a space uses only the things of that space",
  'space.notMember': 'not a member',
  'space.fileFolderRelative':
    "folders: '{{entry}}' is not an absolute folder: give absolute folders on the cluster's machine, such as /srv/flink-files/{{space}}",
  'access.signInFailed': 'the user name or the password is wrong',
  'access.userNameInvalid':
    "'{{name}}' is not a user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
  'access.passwordTooShort': 'the password must have at least {{min}} characters',
  'access.tokenNameInvalid':
    "'{{name}}' is not a token name: use 1 to 64 letters, digits, spaces and . _ @ : -, starting with a letter or digit",
  'access.expiresInvalid':
    "'{{value}}' is not an expiry: give a number and h, d or w (hours, days, weeks), such as 30d",
  'access.userExists': 'user {{name}} exists already: sluice user list lists users',
  'access.userNotFound': 'user {{name}} does not exist: sluice user list lists users',
  'access.tokenNotFound': 'API token {{id}} is not one of yours: sluice token list lists them',
  'access.lastAdmin': 'user {{name}} is the last platform admin: add another admin before removing it',
  'access.currentPasswordWrong':
    'the current password is wrong: nothing was changed; give the password you sign in with now (forgotten: a platform admin sets a new one with sluice user passwd {{name}})',
  'access.passwordUnchanged': 'the new password is the current one: nothing was changed; choose another',
  'access.noPasswordYet':
    "user {{name}} has no password in Sluice (it signs in with API tokens only), so there is no current one to give: a platform admin sets one (sluice user passwd {{name}}, or the console's Users page)",
  'config.allowedFilePathRelative':
    "SLUICE_ALLOWED_FILE_PATHS: '{{entry}}' is not an absolute folder: give absolute folders separated by commas, such as /srv/flink-files,/data/exports",
  'config.allowedHostInvalid':
    "SLUICE_ALLOWED_HOSTS: '{{entry}}' is not a host name: give the name alone (any port is served), such as sluice.example.com, or .example.com for its subdomains",
  'config.allowedOriginEveryone':
    "SLUICE_ALLOWED_ORIGINS: '{{entry}}' would let every web site change jobs here; list the origins of the front-ends you trust, such as https://ops.example.com",
  'config.allowedOriginInvalid':
    "SLUICE_ALLOWED_ORIGINS: '{{entry}}' is not an origin: give the scheme, host and port only, such as https://ops.example.com",
  'config.s3Incomplete':
    '{{missing}} is not set, but {{given}} is: S3 artifact storage needs an endpoint (such as http://minio.example.com:9000 or https://s3.eu-west-1.amazonaws.com) and a bucket; set it, or unset every SLUICE_ARTIFACT_S3_* variable to keep artifacts under SLUICE_HOME',
  'config.s3CredentialsHalf':
    "{{missing}} is not set, but {{given}} is: give both the access key id and the secret access key, or neither to use the AWS SDK's own credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an instance role)",
  'config.s3BadEndpoint':
    "SLUICE_ARTIFACT_S3_ENDPOINT: '{{endpoint}}' is not an http(s) URL without credentials: give the endpoint's scheme, host and port, such as http://minio.example.com:9000 (credentials go in SLUICE_ARTIFACT_S3_ACCESS_KEY_ID and SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY)",
  'config.flinkRestTls':
    "SLUICE_FLINK_REST_TLS: '{{value}}' is not a setting: leave it unset (or write on) for local clusters that serve their REST API and SQL Gateway over TLS to Sluice alone, or write off for plain HTTP",
  'config.classSharing':
    "SLUICE_CDS: '{{value}}' is not a setting: leave it unset (or write on) for the JVMs Sluice starts on this machine to share class data through archives kept in SLUICE_CDS_DIR, or write off to start them without",
  'config.prometheusMode':
    "SLUICE_PROMETHEUS: '{{value}}' is not a setting: leave it unset (or write embedded) for the Prometheus Sluice runs itself, write off for none, or set SLUICE_PROMETHEUS_URL instead to use your own",
  'config.prometheusConflict':
    'SLUICE_PROMETHEUS is {{mode}} and SLUICE_PROMETHEUS_URL is set ({{url}}): the URL names your own Prometheus, so Sluice runs none; unset one of the two',
  'config.prometheusBadUrl':
    "SLUICE_PROMETHEUS_URL: '{{url}}' is not an http(s) URL without credentials: give your Prometheus's scheme, host, port and path prefix if any, such as http://prometheus.example.com:9090",
  'config.prometheusBadDuration':
    "{{variable}}: '{{value}}' is not a Prometheus duration above zero: write numbers with units (y, w, d, h, m, s, ms), largest first, such as 15d, 12h or 1w3d",
  'config.prometheusBadPort':
    "SLUICE_PROMETHEUS_PORT: '{{value}}' is not a port: give 1 to 65535, or 0 for a free port picked at each start",
  'config.ldapNoUrl':
    '{{given}} is set but SLUICE_LDAP_URL is not: set SLUICE_LDAP_URL to the directory (such as ldaps://ldap.example.com) to sign in through LDAP, or unset every SLUICE_LDAP_* variable for local users only',
  'config.ldapBadUrl':
    "SLUICE_LDAP_URL: '{{url}}' is not an LDAP URL: give ldap:// or ldaps://, the host and the port if not the default, such as ldaps://ldap.example.com:636 (no path, no credentials: the search account goes in SLUICE_LDAP_BIND_DN)",
  'config.ldapMissing':
    '{{variable}} is not set, but SLUICE_LDAP_URL is: LDAP sign-in needs a search account (SLUICE_LDAP_BIND_DN and SLUICE_LDAP_BIND_PASSWORD or SLUICE_LDAP_BIND_PASSWORD_FILE) and where users are (SLUICE_LDAP_USER_BASE, such as ou=people,dc=example,dc=com)',
  'config.ldapBadDn':
    "{{variable}}: '{{value}}' is not a distinguished name: write attribute=value pairs separated by commas, such as ou=people,dc=example,dc=com",
  'config.ldapPasswordTwice':
    'SLUICE_LDAP_BIND_PASSWORD and SLUICE_LDAP_BIND_PASSWORD_FILE are both set: keep one of the two (the file keeps the password out of the environment)',
  'config.ldapNoPassword':
    'SLUICE_LDAP_BIND_PASSWORD is not set: give the password of SLUICE_LDAP_BIND_DN there, or the path of a file holding it in SLUICE_LDAP_BIND_PASSWORD_FILE',
  'config.ldapEmptyPasswordFile':
    'SLUICE_LDAP_BIND_PASSWORD_FILE: {{file}} is empty: write the password of SLUICE_LDAP_BIND_DN in it',
  'config.ldapPasswordFileUnreadable':
    'SLUICE_LDAP_BIND_PASSWORD_FILE: {{file}} cannot be read ({{detail}}): give the path of a file this server may read, holding the password of SLUICE_LDAP_BIND_DN',
  'config.ldapBadFilter':
    "SLUICE_LDAP_USER_FILTER: '{{value}}' is not a filter with {user} in it: write an LDAP filter in parentheses where {user} stands for the user name, such as (uid={user}) or (&(objectClass=person)(sAMAccountName={user}))",
  'config.ldapAdminOutside':
    "SLUICE_LDAP_ADMIN_GROUP: {{adminGroup}} is not under SLUICE_LDAP_GROUP_BASE ({{groupBase}}), where groups are searched: set SLUICE_LDAP_GROUP_BASE to a base that holds it, or unset it to search under the admin group's parent",
  // The LDAP directory users sign in through.
  'ldap.unavailable':
    'the LDAP directory at {{url}} does not answer ({{detail}}): check that it runs and that this server reaches it (SLUICE_LDAP_URL, firewall, TLS certificate for ldaps); local users can still sign in',
  'ldap.bindRefused':
    'the LDAP directory at {{url}} refused the search account {{bindDn}} ({{detail}}): check SLUICE_LDAP_BIND_DN and its password (SLUICE_LDAP_BIND_PASSWORD or SLUICE_LDAP_BIND_PASSWORD_FILE)',
  'ldap.searchFailed':
    'the LDAP directory at {{url}} could not search {{base}} ({{detail}}): check SLUICE_LDAP_USER_BASE, SLUICE_LDAP_USER_FILTER and SLUICE_LDAP_GROUP_BASE, and that the search account may read there',
  'access.ldapNoPassword':
    "user {{name}} signs in through LDAP: its password is the directory's and Sluice keeps none; change it in the directory",
  // Directory groups, nested groups and TLS of the LDAP directory.
  'config.groupRolesNotJson':
    '{{variable}} is not a JSON object of groups ({{detail}}): write each group with the spaces it gives a role in and the role, such as {"cn=flink-dev,ou=groups,dc=example,dc=org": {"team-a": "developer"}} (for OIDC, the groups claim\'s values: {"flink-dev": {"team-a": "developer"}})',
  'config.groupRolesTwice': '{{variable}} and {{variable}}_FILE are both set: keep one of the two',
  'config.groupRolesFileUnreadable':
    '{{variable}}_FILE: {{file}} cannot be read ({{detail}}): give the path of a file this server may read, holding the JSON object of groups and their roles in spaces',
  'config.groupRolesBadDn':
    "{{variable}}: '{{group}}' is not a group's distinguished name: write the group's DN as the directory has it, such as cn=flink-dev,ou=groups,dc=example,dc=org",
  'config.groupRolesBadGroup':
    "{{variable}}: '{{group}}' is not a group: write a value of the provider's groups claim ({{claim}}) as it gives it, such as flink-dev",
  'config.groupRolesSameGroup':
    "{{variable}}: '{{group}}' and '{{other}}' are the same group: write it once, with every space it gives a role in",
  'config.groupRolesGroupTwice':
    "{{variable}}: group '{{group}}' is written twice, and JSON keeps only the last: write it once, with every space it gives a role in",
  'config.groupRolesSpaceTwice':
    "{{variable}}: group '{{group}}' gives space '{{space}}' twice, and JSON keeps only the last: keep the one role it should give there",
  'config.groupRolesBadSpaces':
    '{{variable}}: group \'{{group}}\' gives no role: write the spaces and the role it gives in each as an object, such as {"team-a": "developer"}',
  'config.groupRolesBadSpace':
    "{{variable}}: group '{{group}}': '{{space}}' is not a space name (lower-case letters, digits and '-', 1 to 63)",
  'config.groupRolesBadRole':
    "{{variable}}: group '{{group}}', space '{{space}}': '{{role}}' is not a role: give one of {{roles}} (platform admins come from the admin group setting)",
  'access.groupRolesNoSpace':
    "{{variable}} gives group '{{group}}' a role in space '{{space}}', which does not exist: create it (sluice space create {{space}}) or change the mapping; until then the group's members get no role there",
  'config.ldapBadDepth':
    "SLUICE_LDAP_GROUP_DEPTH: '{{value}}' is not a depth: give how many levels of groups within groups to follow, from 0 (only the groups that name the user) to 20; default 5",
  'access.noDirectory':
    'no LDAP directory is set (SLUICE_LDAP_URL): there are no LDAP users to look up again',
  'access.directoryLastAdmin':
    'the LDAP directory at {{directory}} no longer has user {{name}}, the last platform admin: it is kept, so that the platform keeps an admin; make another admin, then remove it (sluice user remove {{name}})',
  'config.ldapBadSyncInterval':
    "SLUICE_LDAP_SYNC_INTERVAL: '{{value}}' is not an interval: give a duration of a minute or more with its unit, such as 15m, 1h or 1d, or 0 (or off) to look users up at sign-in only; default 15m",
  'config.ldapBadStartTls': "SLUICE_LDAP_STARTTLS: '{{value}}' is neither true nor false",
  'config.ldapStartTlsOnLdaps':
    'SLUICE_LDAP_STARTTLS is true but SLUICE_LDAP_URL ({{url}}) is ldaps://, TLS from the start: give an ldap:// URL to upgrade with StartTLS, or unset SLUICE_LDAP_STARTTLS',
  'config.ldapCaWithoutTls':
    'SLUICE_LDAP_CA_FILE is set but the connection to {{url}} is not TLS: use an ldaps:// URL, or set SLUICE_LDAP_STARTTLS=true to upgrade ldap:// with StartTLS',
  'config.ldapCaFileUnreadable':
    "SLUICE_LDAP_CA_FILE: {{file}} cannot be read ({{detail}}): give the path of a PEM file of the certificate authorities that sign the directory's certificate",
  'ldap.tlsRefused':
    'the TLS certificate of the LDAP directory at {{url}} is not trusted ({{detail}}): nobody was signed in; give the certificate authority that signed it in SLUICE_LDAP_CA_FILE (PEM), and check that the certificate names the host of SLUICE_LDAP_URL',
  'ldap.tlsRequired':
    'the LDAP directory at {{url}} takes binds over TLS only ({{detail}}): nobody was signed in; set SLUICE_LDAP_STARTTLS=true to upgrade the connection (with SLUICE_LDAP_CA_FILE if its certificate is not signed by a system CA), or use an ldaps:// URL',
  'ldap.startTlsRefused':
    'the LDAP directory at {{url}} refused StartTLS ({{detail}}): nobody was signed in; check that the directory has a certificate and key set up (olcTLSCertificateFile, olcTLSCertificateKeyFile), or unset SLUICE_LDAP_STARTTLS',
  // The OpenID Connect provider users sign in to the console through.
  'config.oidcNoIssuer':
    "{{given}} is set but SLUICE_OIDC_ISSUER is not: set SLUICE_OIDC_ISSUER to the provider's issuer (such as https://login.example.com/realms/main) to sign in through OpenID Connect, or unset every SLUICE_OIDC_* variable",
  'config.oidcBadIssuer':
    "SLUICE_OIDC_ISSUER: '{{url}}' is not an issuer URL: give the https:// URL the provider names itself with (its discovery document is under /.well-known/openid-configuration), without query or credentials; plain http:// only to this machine (127.0.0.1, localhost)",
  'config.oidcMissing':
    '{{variable}} is not set, but SLUICE_OIDC_ISSUER is: OpenID Connect sign-in needs the client Sluice is registered as at the provider (SLUICE_OIDC_CLIENT_ID, and SLUICE_OIDC_CLIENT_SECRET or SLUICE_OIDC_CLIENT_SECRET_FILE)',
  'config.oidcSecretTwice':
    'SLUICE_OIDC_CLIENT_SECRET and SLUICE_OIDC_CLIENT_SECRET_FILE are both set: keep one of the two (the file keeps the secret out of the environment)',
  'config.oidcNoSecret':
    'SLUICE_OIDC_CLIENT_SECRET is not set: give the secret of the client SLUICE_OIDC_CLIENT_ID there, or the path of a file holding it in SLUICE_OIDC_CLIENT_SECRET_FILE',
  'config.oidcEmptySecretFile':
    'SLUICE_OIDC_CLIENT_SECRET_FILE: {{file}} is empty: write the secret of the client SLUICE_OIDC_CLIENT_ID in it',
  'config.oidcSecretFileUnreadable':
    'SLUICE_OIDC_CLIENT_SECRET_FILE: {{file}} cannot be read ({{detail}}): give the path of a file this server may read, holding the secret of the client SLUICE_OIDC_CLIENT_ID',
  'config.oidcBadScopes':
    "SLUICE_OIDC_SCOPES: '{{value}}' is not a list of scopes with openid among them: write them separated by spaces, such as 'openid profile email groups'",
  'config.oidcBadClaim':
    "{{variable}}: '{{value}}' is not a claim name: give the name of a claim of the provider's ID token or userinfo, such as preferred_username, email or groups",
  'config.oidcBadRedirect':
    "SLUICE_OIDC_REDIRECT_URL: '{{url}}' is not this server's callback: give the https:// URL the browser reaches it at, ending in {{path}} (plain http:// only to this machine), registered as a redirect URI of the client at the provider; unset, it is made from each request's origin",
  'oidc.unavailable':
    'the OpenID Connect provider {{issuer}} does not answer ({{detail}}): check that it runs and that this server reaches it (SLUICE_OIDC_ISSUER, firewall, TLS certificate); nobody was signed in, and users with passwords or tokens can still sign in',
  'oidc.refused':
    "the OpenID Connect provider {{issuer}} refused the sign-in ({{error}}): nobody was signed in; start again from the console's sign-in page, and if it repeats check the client's settings at the provider (SLUICE_OIDC_CLIENT_ID, its secret and redirect URI)",
  'oidc.tokenRefused':
    "the answer of the OpenID Connect provider {{issuer}} failed a check ({{detail}}): nobody was signed in; start again from the console's sign-in page, and if it repeats check the provider's signing keys and clock, and SLUICE_OIDC_CLIENT_ID",
  'oidc.stateMismatch':
    "this sign-in's state is not the one this browser started with (a sign-in begun elsewhere, or a forged link): nobody was signed in; start again from the console's sign-in page",
  'oidc.noFlow':
    "no OpenID Connect sign-in was started in this browser (its sign-in cookie is missing or was changed): nobody was signed in; start from the console's sign-in page",
  'oidc.flowExpired':
    "this OpenID Connect sign-in began more than 10 minutes ago: nobody was signed in; start again from the console's sign-in page",
  'oidc.notConfigured':
    'OpenID Connect sign-in is not set up on this server: set SLUICE_OIDC_ISSUER, SLUICE_OIDC_CLIENT_ID and SLUICE_OIDC_CLIENT_SECRET (README: OpenID Connect sign-in), or sign in with a user name and password',
  'oidc.noUserName':
    "the provider's answer for subject '{{subject}}' has no {{claim}} claim to name the Sluice user: set SLUICE_OIDC_USERNAME_CLAIM to a claim it gives (such as preferred_username or email), or ask for the scope that carries it in SLUICE_OIDC_SCOPES",
  'oidc.badUserName':
    "the {{claim}} claim '{{value}}' is not a Sluice user name (1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter): set SLUICE_OIDC_USERNAME_CLAIM to a claim whose values are",
  'oidc.nameTaken':
    "user {{name}} of Sluice signs in as a {{source}} user: the OpenID Connect user whose {{claim}} is {{name}} cannot sign in as it; an admin may remove that user (sluice user remove {{name}}) to let the provider's sign in",
  'oidc.subjectChanged':
    "user {{name}} of Sluice was made by another OpenID Connect identity than subject '{{subject}}', whose {{claim}} is {{name}} now: nobody was signed in; a name claim the provider lets change (or that differs only in case) cannot take a user over. An admin may remove the user (sluice user remove {{name}}) if the provider's account really changed",
  'access.oidcNoPassword':
    "user {{name}} signs in through OpenID Connect: its password is the provider's and Sluice keeps none; change it at the provider",
  // Prometheus: the one Sluice runs, or the user's.
  'prometheus.off':
    'no Prometheus is in use (SLUICE_PROMETHEUS=off): unset SLUICE_PROMETHEUS for the one Sluice runs, or set SLUICE_PROMETHEUS_URL to use yours',
  'prometheus.notStarted':
    'the embedded Prometheus has not been started yet (it starts once the API listens)',
  'prometheus.starting': 'the embedded Prometheus is starting at {{url}}',
  'prometheus.exited':
    'the embedded Prometheus exited ({{status}}); its log is {{logFile}}, whose last lines are:\n{{log}}',
  'prometheus.restarting':
    'the embedded Prometheus exited ({{status}}) and is started again at {{url}} after {{seconds}} s (restart {{count}} since Sluice started); its log is {{logFile}}, whose last lines are:\n{{log}}',
  'prometheus.notReady': 'Prometheus at {{url}} is not ready: {{detail}}',
  'prometheus.cannotStart': 'the embedded Prometheus could not start: {{detail}}',
  'prometheus.queryRefused': 'Prometheus at {{url}} refused the query {{query}}: {{detail}}',
  'prometheus.queryUnanswered': 'Prometheus at {{url}} did not answer the query {{query}}: {{detail}}',
  'prometheus.podGone':
    'pod {{pod}} of target {{target}} is gone from namespace {{namespace}}: {{detail}}; the discovery (/api/v1/prometheus/pod-targets) lists the pods that run',
  'prometheus.podNotReporting':
    'pod {{pod}} is no Running and Ready JobManager or TaskManager of target {{target}} with a Prometheus reporter in namespace {{namespace}}; the discovery (/api/v1/prometheus/pod-targets) lists those that are',
  'prometheus.notKubernetesTarget':
    'target {{target}} is a {{kind}} target, not a Kubernetes one: only the pods of Kubernetes targets are scraped through Sluice (local processes are scraped at their own address, /api/v1/prometheus/targets)',
  'prometheus.reloadNotOurs':
    'Prometheus at {{url}} is not run by Sluice (SLUICE_PROMETHEUS_URL): reload its configuration yourself',
  'prometheus.reloadRefused':
    'the embedded Prometheus refused its new configuration {{configFile}}: {{detail}}',
  // Secrets: why a value cannot be one, and where a secret cannot stand.
  'secret.tooShort': 'it has {{length}} characters, fewer than {{min}}',
  'secret.noLetters': 'it is only digits and punctuation',
  'secret.commonWord': 'it is a common word or programming token',
  'variable.secretRefused':
    'value: variable {{name}} cannot be a secret: {{why}}, so it turns up in ordinary text, which masking it would hide; use a longer, random value (e.g. `openssl rand -base64 24`)',
  'variable.secretWeak':
    'secret {{name}} is weak: {{why}}; it is masked wherever it appears, ordinary text included: set a longer, random value',
  'job.secretInOptionKey':
    'options: the key {{key}} holds the value of secret variable {{variable}}, where a reference cannot stand: remove it',
  'job.secretInField':
    '{{field}}: it holds the value of secret variable {{variable}}, where a reference cannot stand: remove it',
  'request.maxItems': '{{where}} must have at most {{limit}} items',
  'request.maxProperties': '{{where}} must have at most {{limit}} properties',
  'request.targetTwice':
    "target '{{target}}' and {{alias}} '{{given}}' disagree: {{alias}} is the deprecated name of target, give target only",
  'request.propertyName': "{{where}} has the property '{{property}}', whose name {{problem}}",
  // What the request got wrong before any route read it (its size, its URL, its body's type).
  'request.noRoute': "no route {{method}} {{url}}: the API's operations are listed at /api/openapi.json",
  'request.methodNotAllowed': '{{path}} does not take {{method}}: use {{allowed}}',
  'request.payloadTooLarge':
    'the request body is larger than {{limit}} bytes, the most the API takes: send a smaller body (a script of at most {{sqlLimit}} characters)',
  'request.uriTooLong':
    'the URL is {{length}} characters long, more than the {{limit}} the API takes: send long values in a JSON body',
  'request.pathSegmentTooLong':
    'a part of the path {{path}} is longer than {{limit}} characters, more than any name the API knows',
  'request.headersTooLarge':
    'the request line and headers are larger than {{limit}} bytes, the most the server reads: send long values in a JSON body',
  'request.unsupportedMediaType':
    "{{method}} {{path}} takes a JSON body, not '{{type}}': send it with content-type application/json",
  'request.malformedJson': 'the body is not valid JSON: {{detail}}',
  'request.emptyJsonBody':
    'the body is empty but its content-type says application/json: send a JSON value, or no content-type',
  'request.contentLength': 'the body is not as long as its Content-Length header says',
  'request.badUrl': 'the path {{path}} is not valid percent-encoding: encode it with encodeURIComponent',
  'request.timeout': 'the request was not received in time',
  'request.malformed': 'the request is not valid HTTP',
  // Limits of what one request may hold (documented in the OpenAPI document).
  'sql.tooManyStatements':
    '{{field}}: the script has {{count}} statements, more than the {{limit}} one script may have: split it into several jobs',
  'catalog.fileOutside':
    "catalog {{name}}: option '{{option}}' = '{{path}}' is a file on the cluster's machine outside the folders space {{space}}'s jobs may use ({{allowed}}): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders {{space}} --set {{suggested}})",
  'sql.setFileOutside':
    "SET '{{option}}' = '{{path}}' (line {{line}}) names a file on the cluster's machine outside the folders space {{space}}'s jobs may use ({{allowed}}): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders {{space}} --set {{suggested}})",
  'sql.tableFileOutside':
    "table {{name}}: option '{{option}}' = '{{path}}' (line {{line}}) is a file on the cluster's machine outside the folders space {{space}}'s jobs may use ({{allowed}}): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders {{space}} --set {{suggested}})",
  'sql.catalogFileOutside':
    "catalog {{name}}: option '{{option}}' = '{{path}}' (line {{line}}) is a file on the cluster's machine outside the folders space {{space}}'s jobs may use ({{allowed}}): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders {{space}} --set {{suggested}})",
  'sql.tooLong':
    '{{field}}: the script has {{length}} characters, more than the {{limit}} one script may have: split it into several jobs',
  'job.applicationSlots':
    "options.taskmanager.numberOfTaskSlots: '{{value}}' is not a whole number from 1 to 64 (the slots of each TaskManager of the job's application cluster)",
  'job.applicationTaskManagers':
    'parallelism {{parallelism}} with {{slots}} slots per TaskManager needs {{taskManagers}} TaskManagers, more than the {{max}} an application cluster on this machine has: set options.taskmanager.numberOfTaskSlots to at least {{least}}',
  // JAR jobs: a program in an artifact.
  'debug.notSqlJob': 'job {{job}} is a JAR job: debug runs take SQL jobs and scripts',
  'job.neitherSqlNorJar':
    'a job runs a SQL script or a jar: give sql (--sql-file) or jar (--jar <artifact>[@version])',
  'job.bothSqlAndJar':
    'a job runs a SQL script or a jar, not both: give either sql (--sql-file) or jar (--jar <artifact>[@version])',
  'job.notJarJob':
    'job {{job}} is a SQL job: {{field}} belongs to JAR jobs (give its jar with --jar to make it a JAR job from this version on)',
  'job.notSqlJob':
    'job {{job}} is a JAR job: {{field}} belongs to SQL jobs (give its script with --sql-file to make it a SQL job from this version on)',
  'job.upgradeAcrossKinds':
    "job {{job}}'s version {{version}} is a {{to}} job and its running version {{deployed}} a {{from}} job: an upgrade carries state over, which another kind of program cannot take. Stop it (`sluice job stop {{job}}`), then start the new version",
  'job.kindChangeWhileLive':
    "job {{job}} is {{state}}: it can become a {{to}} job only while nothing of it runs, since its {{from}} program's state cannot be carried over to another kind of program. Stop it (`sluice job stop {{job}}`, keeping a savepoint) or cancel it, then save the new version and start it",
  'job.noEntryClass':
    'artifact {{artifact}}@{{version}} has no class {{class}} ({{classes}} top-level classes): check the entry class name and package, or upload the jar that has it',
  'job.badEntryClass': "'{{class}}' is not a Java class name: write it with its package, as org.acme.MyJob",
  'job.noMainClass':
    'artifact {{artifact}}@{{version}} has no Main-Class in its manifest: name the class to run with --entry-class',
  'job.argsTooLong':
    'the program arguments are too long ({{count}} arguments, {{chars}} characters): at most {{maxCount}} arguments of {{maxChars}} characters in all',
  'submission.artifactFileMissing':
    'the file of artifact {{artifact}}@{{version}} is missing from the artifact storage ({{path}}): upload it again',
  'job.classpathOnRemote':
    "classpath artifact(s) {{artifacts}} cannot reach session cluster {{target}}, whose processes run elsewhere: Flink does not ship pipeline.classpaths, each JobManager and TaskManager reads those files itself, and they are on this machine only. Shade the classes into the job's jar (one fat jar, then no classpath), or run the job on a local-session, local-application or Kubernetes target",
  'target.noJarRuns': 'deployment target {{target}} cannot run jars: it takes no /jars/upload',
  // Standalone Flink clusters on Kubernetes.
  'lifecycle.jobManagerPodRunning': 'the JobManager pod {{pod}} of cluster {{cluster}} is Running',
  'lifecycle.taskManagerPodsRunning': '{{count}} TaskManager pod(s) of cluster {{cluster}} are Running',
  'kubernetes.noSharedDir':
    "Kubernetes target {{target}} has neither a platform URL (platformUrl) nor a shared folder (sharedDir): a standalone cluster's pods get the job's jars either from an init container that fetches them from Sluice, or from a folder that Sluice and every node see at the same path. Register the target again with --platform-url <Sluice's URL as the pods reach it> or --shared-dir <path>",
  'kubernetes.noSavepointDir':
    'Kubernetes target {{target}} has no shared folder (sharedDir), so its pods cannot write a savepoint where Sluice reads it: give the job a savepoint directory on storage both reach (option state.savepoints.dir, e.g. s3://bucket/savepoints), or register the target again with --shared-dir <path>',
  'kubernetes.noStateOption':
    "Kubernetes target {{target}} has no shared folder (sharedDir), so Sluice gives the pods no folder for option {{option}}: {{why}}. Set {{option}} on storage every pod reaches (e.g. s3://bucket/flink/{{example}}), on the job (--option) or as the target's default (--flink-option), or register the target again with --shared-dir <path>",
  'kubernetes.noClusterView':
    'target {{target}} is a {{kind}} target: the cluster view (pending pods, nodes, requests) is for Kubernetes targets',
  'kubernetes.badPlatformUrl':
    "'{{url}}' is not a platform URL: give Sluice's http(s) address as the pods reach it, without a query or credentials, e.g. http://10.0.0.5:8080",
  'kubernetes.badArtifactsFrom':
    "'{{value}}' is not where the pods can fetch a run's jars from: the only choice is s3 (the platform's S3-compatible artifact bucket); without it they come from --platform-url or --shared-dir",
  'kubernetes.s3ArtifactsNotBuilt':
    'target {{target}}: fetching the jars from S3 (--artifacts-from s3) is built for per-job clusters (standalone, native and operator application ways) only, not the {{way}} way: register it without --session, or use --shared-dir',
  'kubernetes.s3ArtifactsWithPlatformUrl':
    'a target fetches its jars from one place: --artifacts-from s3 and the platform URL {{url}} were both given; drop one',
  'kubernetes.s3EndpointWithoutS3':
    '--s3-endpoint-for-pods {{endpoint}} says where the pods reach the artifact bucket, which only a target with --artifacts-from s3 uses: add --artifacts-from s3 or drop it',
  'kubernetes.badS3EndpointForPods':
    "'{{url}}' is not an S3 endpoint for the pods: give the bucket's http(s) endpoint as the pods reach it, without a query or credentials, e.g. http://minio.storage:9000",
  'kubernetes.noS3ArtifactStorage':
    'target {{target}} cannot fetch jars from S3: this server keeps artifacts on local disk ({{where}}); start it with SLUICE_ARTIFACT_S3_ENDPOINT and SLUICE_ARTIFACT_S3_BUCKET (see "Artifacts in S3"), or register the target with --platform-url or --shared-dir',
  'artifacts.tokenRefused':
    'the token does not allow fetching the artifacts of submission {{flinkJobId}}: {{reason}}; the init container gets a fresh one from the Secret Sluice renews while the run lives',
  'artifacts.noSubmissionArtifacts':
    'submission {{flinkJobId}} has no artifacts on this platform (its run is over, or was never started here)',
  // Quotas of a deployment target (with the per-job ranges its admin sets) and of a space.
  'quota.exceeded':
    'quota of target {{target}} refuses job {{job}}: it requests {{request}} {{resource}}, {{used}} of the limit {{limit}} is in use (by {{jobs}}); {{fix}}',
  'quota.spaceExceeded':
    'quota of space {{space}} refuses job {{job}}: it requests {{request}} {{resource}}, {{used}} of the limit {{limit}} is in use on its targets (by {{jobs}}); {{fix}}',
  'quota.raiseTarget': 'ask an admin to raise the quota (sluice target quota {{target}} {{flag}} ...)',
  'quota.raiseSpace':
    'ask an owner of space {{space}} or an admin to raise its quota (sluice space quota {{space}} {{flag}} ...)',
  'quota.fixCpu':
    "lower the job's parallelism or its options kubernetes.taskmanager.cpu / kubernetes.jobmanager.cpu, stop one of those jobs, or {{raise}}",
  'quota.fixMemory':
    "lower the job's parallelism or its options taskmanager.memory.process.size / jobmanager.memory.process.size, stop one of those jobs, or {{raise}}",
  'quota.fixSlots': "lower the job's parallelism, stop one of those jobs, or {{raise}}",
  'quota.fixTaskManagers':
    "lower the job's parallelism or raise its option taskmanager.numberOfTaskSlots, stop one of those jobs, or {{raise}}",
  'quota.fixJobs': 'stop one of those jobs, or {{raise}}',
  'quota.overRange':
    'target {{target}} allows each job at most {{max}} ({{range}}), this job asks {{value}}: lower it, or ask an admin to raise the range',
  'quota.unknownField':
    "'{{field}}' is not a quota field: give cpu, memory, slots, taskManagers, jobs, maxParallelism, maxTaskManagers, maxTaskManagerMemory or maxCpuPerPod",
  'quota.notRequested':
    "{{field}}: the jobs of target {{target}} ({{kind}}) do not request it per job, so it cannot be limited there; this target's quota takes {{fields}}",
  'quota.badAmount':
    "{{field}}: '{{value}}' is not a positive amount (memory: a Flink size such as 8g; taskManagers, slots, jobs, maxParallelism, maxTaskManagers: whole numbers; cpu: cores such as 0.5)",
  'quota.none': 'target {{target}} has no quota: set one with sluice target quota {{target}} --slots 16 ...',
  'quota.spaceNone': 'space {{space}} has no quota: set one with sluice space quota {{space}} --jobs 10 ...',
  'quota.rangeOfTarget':
    "{{field}}: per-job ranges are a deployment target's (sluice target quota TARGET --max-parallelism ...); the quota of space {{space}} takes cpu, memory, slots, taskManagers and jobs",
  'kubernetes.badNumber': "option '{{option}}': '{{value}}' is not a positive number",
  'kubernetes.badPodOption': "option '{{option}}': '{{value}}': {{problem}}",
  'kubernetes.badPodTemplate': "option '{{option}}': the pod template {{file}}: {{problem}}",
  'kubernetes.haNeedsServiceAccount':
    "option 'high-availability.type': kubernetes needs the JobManager to create and update ConfigMaps, which the namespace's default service account may not: register target {{target}} with --service-account <an account bound to a role with configmaps create/get/list/watch/update/delete in {{namespace}}>",
  'kubernetes.nativeUnsupportedVersion':
    'the native Kubernetes way has no Flink Kubernetes client for Flink {{flinkVersion}}: it runs engines {{supported}}; choose a target of one of those engines, or the standalone or operator way',
  'kubernetes.nativeClientFailed':
    "Flink's Kubernetes client (flink run --target kubernetes-application, on Sluice's machine) did not deploy the cluster: {{detail}}",
  'kubernetes.nativeServiceAccountCannot':
    'service account {{serviceAccount}} may not {{missing}} in namespace {{namespace}} on {{server}} (context {{context}}): in the native way the JobManager runs as it and creates its TaskManager pods and Kubernetes HA ConfigMaps; grant it: kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}',
  'kubernetes.haServiceAccountCannot':
    "service account {{serviceAccount}} may not {{missing}} in namespace {{namespace}} on {{server}} (context {{context}}): with 'high-availability.type': kubernetes the JobManager runs as it and keeps Kubernetes HA's leader and job data in ConfigMaps; grant it: kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}",
  'kubernetes.badExposure': "option '{{option}}': '{{value}}': {{problem}}",
  'target.noRender':
    'target {{target}} ({{kind}}) has nothing to render: its clusters are not made of declared objects. Rendering is for Kubernetes targets',
  'kubernetes.podFailing': 'pod {{pod}} of cluster {{cluster}} cannot run: {{reason}}: {{detail}}',
  'kubernetes.apiRefused':
    'the Kubernetes API of target {{target}} ({{server}}, namespace {{namespace}}) refused to {{action}}: {{detail}}',
  'job.parallelismOption':
    "option 'parallelism.default' is the job's parallelism field: set parallelism ({{min}} to {{max}}) instead of the option",
  // A local cluster's definition.
  'cluster.memoryNotASize':
    "{{field}}: '{{value}}' is not a memory size as Flink reads it: write a number and a unit such as 1024m, 1536 mb or 2g",
  'cluster.memoryTooSmall':
    '{{field}}: {{value}} is less than {{min}}, the least a {{role}} of Flink starts with: give at least {{min}}',
  'cluster.memoryBareBytes':
    "{{field}}: '{{value}}' has no unit, so Flink reads it as {{value}} bytes, less than the {{min}} a {{role}} needs: did you mean {{value}}m?",
  'cluster.memoryTooLarge':
    "{{field}}: {{value}} is more than this machine's memory ({{machine}}): give at most {{machine}}",
  'cluster.memoryTotalTooLarge':
    "the cluster would take {{total}} of memory (JobManager {{jobManager}}, {{taskManagers}} TaskManager(s) of {{taskManager}} each, SQL Gateway {{gateway}}), more than this machine's {{machine}}: give fewer TaskManagers or less memory",
  'cluster.configKeyInvalid':
    "flinkConfig: the key '{{key}}' is not a Flink option name: use letters, digits, '.', '-' and '_' only (no white space, quotes or control characters)",
  'cluster.configKeyOwnField':
    "flinkConfig: '{{key}}' is set from the cluster's {{field}} field: set {{field}} instead",
  'cluster.configKeyLoopback':
    "flinkConfig: '{{key}}' cannot be set: Sluice binds every local cluster to 127.0.0.1, so that it is never reachable from outside this machine",
  'cluster.portOfOtherCluster':
    '{{field}}: port {{port}} is already the {{otherField}} of cluster {{cluster}}: choose another port',
  'cluster.portOfServer': "{{field}}: port {{port}} is Sluice's own API port: choose another port",
  'cluster.portInUse':
    '{{field}}: port {{port}} is in use by another program on this machine: stop it, or choose another port',
  // Kubernetes targets: their spec, and the checks of their cluster at registration and in lists.
  'kubernetes.sessionNeedsSharedDir':
    "a session target on Kubernetes needs a shared folder (--shared-dir <path>, the same absolute path on Sluice's machine and on every node): the SQL Gateway's jar and the jobs' checkpoints and savepoints are there",
  'kubernetes.sessionNotRunning':
    "the session cluster of Kubernetes target {{target}} is {{state}}: start it with 'sluice cluster start {{target}}' (or the Start button of the target)",
  'kubernetes.sessionChangeRunning':
    "Kubernetes target {{target}} is changed only while its session cluster is stopped (it is {{state}}, made from the target as registered): stop it first with 'sluice cluster stop {{target}}', register the change, then start it again",
  'kubernetes.sessionRemoveRunning':
    "Kubernetes target {{target}} still runs its session cluster: stop it first with 'sluice cluster stop {{target}}'",
  'kubernetes.sessionHasJobs':
    "the session cluster of Kubernetes target {{target}} still runs the job(s) {{jobs}} (their FlinkSessionJobs): stop or cancel them first ('sluice job stop <job>'), then stop the session",
  'kubernetes.sessionRunsJobs':
    "the session cluster of Kubernetes target {{target}} still runs the Flink job(s) {{jobs}}: stop or cancel them first ('sluice job stop <job>'), then stop the session",
  'kubernetes.notASession':
    'Kubernetes target {{target}} runs each job in a cluster of its own: it has no session cluster to start or stop (register a session target with --session)',
  'kubernetes.badMode':
    "'{{mode}}' is not a way to run jobs on Kubernetes: use operator, native or standalone",
  'kubernetes.badNamespace':
    "'{{namespace}}' is not a Kubernetes namespace name: use a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
  'kubernetes.kubeconfigNotAbsolute':
    "'{{kubeconfig}}' is not an absolute path: give the kubeconfig file's full path on the Sluice server's machine (the CLI resolves a relative one)",
  'kubernetes.contextWithoutKubeconfig':
    "context '{{context}}' names a context of a kubeconfig file, but none is given: add the kubeconfig file, or leave the context out to use the in-cluster service account",
  'kubernetes.badImage':
    "'{{image}}' is not an image reference: e.g. flink:1.20.3-java17 or registry.example.com/flink:1.20.3",
  'kubernetes.badPullPolicy': "'{{value}}' is not an image pull policy: use Always, IfNotPresent or Never",
  'kubernetes.badUpgradeMode':
    "'{{value}}' is not an upgrade mode: use savepoint (a savepoint first), last-state (the latest checkpoint) or stateless (empty state)",
  'kubernetes.upgradeModeNotOperator':
    "upgrade mode '{{value}}' is the Flink Kubernetes Operator's setting, but the target's mode is {{mode}}: leave --upgrade-mode out, or register the target with --mode operator",
  'kubernetes.badObjectName':
    "'{{value}}' is not a {{what}} name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
  'kubernetes.sharedDirNotAbsolute':
    "'{{dir}}' is not an absolute path: the shared folder is the same absolute path on Sluice's machine and on every node",
  'kubernetes.claimWithoutSharedDir':
    "the shared claim {{claim}} needs the shared folder it holds: add --shared-dir <path>, where Sluice's machine mounts that claim's volume (its root)",
  'kubernetes.noSharedClaim':
    'persistent volume claim {{claim}} does not exist in namespace {{namespace}} on {{server}} (context {{context}}): the pods mount the shared folder from it; create it there (bound to the volume Sluice mounts at {{dir}}), or name an existing claim',
  'kubernetes.sharedClaimNotBound':
    'persistent volume claim {{claim}} in namespace {{namespace}} on {{server}} (context {{context}}) is {{phase}}, not Bound: pods mounting it would stay Pending; bind it to the volume Sluice mounts at {{dir}} (kubectl describe pvc {{claim}} -n {{namespace}} says why it is not)',
  'kubernetes.badKubeconfig':
    'kubeconfig {{kubeconfig}} cannot be used: {{detail}}; give a kubeconfig file the Sluice server can read (kubectl config view --kubeconfig FILE shows what it holds)',
  'kubernetes.noContext':
    "context '{{context}}' is not in kubeconfig {{kubeconfig}}: its contexts are {{contexts}}; name one of them",
  'kubernetes.notInCluster':
    'no kubeconfig was given and Sluice does not run in a Kubernetes pod ({{detail}}): give a kubeconfig file',
  'kubernetes.unreachable':
    'the Kubernetes API server {{server}} (context {{context}}) does not answer: {{detail}}; check that the cluster runs and that the kubeconfig names its address',
  'kubernetes.refused':
    'the Kubernetes API server {{server}} (context {{context}}) refused to {{what}}: {{detail}}; check the credentials of the kubeconfig',
  'kubernetes.noNamespace':
    'namespace {{namespace}} does not exist on {{server}} (context {{context}}): create it (kubectl create namespace {{namespace}}) or name another one',
  'kubernetes.missingPermissions':
    '{{user}} may not {{missing}} in namespace {{namespace}} on {{server}} (context {{context}}), which the {{mode}} mode needs (the API server says: {{reason}}); grant it, e.g.: {{fix}}',
  'kubernetes.noServiceAccount':
    'service account {{serviceAccount}} does not exist in namespace {{namespace}} on {{server}} (context {{context}}): the JobManager runs as it and creates its TaskManager pods; create it: kubectl create serviceaccount {{serviceAccount}} -n {{namespace}} && kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}',
  'kubernetes.noOperatorCrds':
    'the Flink Kubernetes Operator resources {{missing}} are not served by {{server}} (context {{context}}): the operator mode writes FlinkDeployment and FlinkSessionJob resources; install the operator with its CRDs, or choose the native or standalone mode',
  'kubernetes.refusedTarget': 'Kubernetes target {{target}} is not registered: {{problem}}',
  'target.kubernetesModeNotBuilt':
    'deployment target {{target}} runs jobs on Kubernetes in {{mode}} mode, and this Sluice cannot deploy {{content}} jobs that way yet: choose a target of another kind or mode for this job',
  'target.isKubernetes':
    'deployment target {{target}} is a Kubernetes target: each job on it runs in a cluster of its own on Kubernetes, so there is no session cluster to define, start or stop',
  'target.inUse':
    'deployment target {{target}} is the target of job(s) {{jobs}}: give them another target or delete them first',
  'target.removeRunning':
    'deployment target {{target}} has a running session cluster: stop it first (sluice cluster stop {{target}})',
  // Alert channels: where alert messages go (src/domain/alerts).
  'alertChannel.badName':
    "'{{name}}' is not a valid channel name: use 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  'alertChannel.badType': "'{{type}}' is not a channel type: use one of {{types}}",
  'alertChannel.notForType':
    '{{field}} is not a setting of a {{type}} channel, whose settings are {{fields}}',
  'alertChannel.urlMissing': 'a {{type}} channel needs the address to post to (--url)',
  'alertChannel.badUrl':
    'not an http(s) URL: give the address the {{type}} receiver gives, starting with https://',
  'alertChannel.hostMissing': 'an email channel needs the SMTP server (--smtp-host)',
  'alertChannel.badPort': '{{port}} is not a port: use a whole number from 1 to 65535',
  'alertChannel.fromMissing': 'an email channel needs the sender address (--from)',
  'alertChannel.toMissing':
    'an email channel needs at least one recipient (--to a@example.com[,b@example.com])',
  'alertChannel.badAddress': "'{{address}}' is not an email address",
  'alertChannel.passwordWithoutUser': 'an SMTP password needs the user name it belongs to (--smtp-user)',
  'alertChannel.notFound':
    "alert channel '{{channel}}' does not exist: list them with `sluice alert channel list`",
  'alertChannel.refused': 'the {{type}} receiver refused the message: {{answer}}',
  'alertChannel.unreachable': 'the {{type}} receiver at {{host}} cannot be reached: {{detail}}',
  'alertChannel.deliveryFailed': 'alert channel {{channel}}: {{cause}}',
  // Kafka: connections, the topic browser and the local broker (src/adapters/kafka).
  'kafka.badConnectionName':
    "'{{name}}' is not a Kafka connection name: letters, digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters",
  'kafka.localConnectionReserved':
    "connection '{{connection}}' is the local broker's ('sluice kafka start' registers it): choose another name",
  'kafka.connectionRefused': "Kafka connection '{{connection}}' is refused: {{problems}}",
  'kafka.problems': '{{first}}; {{rest}}',
  'kafka.noBroker': 'at least one broker address is needed, as host:port (e.g. 127.0.0.1:9092)',
  'kafka.badBroker':
    "'{{address}}' is not host:port with a port from 1 to 65535 (e.g. broker-1.example.com:9092)",
  'kafka.saslMechanismNeeded': '{{protocol}} needs a SASL mechanism: {{mechanisms}}',
  'kafka.saslUserNeeded': '{{protocol}} needs a SASL user name',
  'kafka.saslPasswordNeeded': '{{protocol}} needs a SASL password',
  'kafka.saslWithoutSasl':
    'SASL settings were given with security protocol {{protocol}}: use SASL_PLAINTEXT or SASL_SSL, or leave them out',
  'kafka.caWithoutSsl': 'a CA certificate was given with security protocol {{protocol}}: use SSL or SASL_SSL',
  'kafka.caNotPem': 'the CA certificate is not PEM text (-----BEGIN CERTIFICATE----- ...)',
  'kafka.noValueToInfer':
    "topic '{{topic}}' has no sampled message with a value to infer a table from: produce messages to it, or sample more (--limit)",
  'kafka.emptyJsonObjects':
    "the sampled values of topic '{{topic}}' are empty JSON objects: there is no field to make a column of",
  'kafka.localConnectionInUse':
    "connection '{{connection}}' is the running local broker's: stop it first (sluice kafka stop)",
  'kafka.badSampleLimit': 'limit {{limit}} is not a whole number from 1 to {{max}}',
  'kafka.noLocalConnection':
    "Kafka connection '{{connection}}' does not exist: start the local broker with 'sluice kafka start', which registers it",
  'kafka.connectionNotFound':
    "Kafka connection '{{connection}}' does not exist: list them with 'sluice kafka connection list'",
  'kafka.unreachable':
    "Kafka connection '{{connection}}' ({{bootstrapServers}}) did not answer: {{detail}}. Check that the brokers run and the connection's settings (sluice kafka connection list)",
  'kafka.topicNotFound':
    "topic '{{topic}}' does not exist on Kafka connection '{{connection}}': list them with 'sluice kafka topics --connection {{connection}}'",
  'kafka.badVersion':
    "Kafka version '{{version}}' is not major.minor.patch (e.g. 4.1.1): set SLUICE_KAFKA_VERSION to a version of org.apache.kafka:kafka_2.13",
  'kafka.noKafkaJar':
    'Maven copied no kafka_2.13-{{version}}.jar: is {{version}} a version of org.apache.kafka:kafka_2.13?',
  'kafka.brokerStarting': 'the local Kafka broker is starting: wait for it to finish',
  'kafka.brokerStopping': 'the local Kafka broker is stopping: wait for it to finish',
  'kafka.javaTooOld':
    'the local Kafka broker needs Java 17 or later; {{java}} is Java {{major}}: set JAVA_HOME to a JDK 17 or 21',
  'kafka.formatFailed':
    "formatting the local Kafka broker's data folder {{dataDir}} failed (kafka-storage format, exit {{exit}}): {{output}}; its log: {{logFile}}",
  'kafka.formatTimedOut':
    "formatting the local Kafka broker's data folder {{dataDir}} failed (kafka-storage format, exit {{exit}}, timed out): {{output}}; its log: {{logFile}}",
  'kafka.portTaken':
    'port {{port}} on 127.0.0.1 is taken by another program: stop it, or start Sluice with {{field}} set to a free port',
  'kafka.brokerExited':
    'the local Kafka broker exited {{crashes}} time(s) in a row; its log ({{logFile}}) ends:\n{{log}}',
  // Consumer lag per job (src/application/kafka-lag.ts).
  'kafkaLag.jarJob':
    "job {{job}} is a JAR job: its Kafka sources are inside its program, so Sluice knows their topics only as Flink reports them and not their group: the broker's committed lag is not read; the lag per partition is Flink's position against each partition's end",
  'kafkaLag.noConnectionForTopic':
    "topic {{topic}} (as Flink's reporter labels it) is on no registered Kafka connection that answered: register its cluster with 'sluice kafka connection add NAME --bootstrap-servers H:P'",
  'kafkaLag.topicOnSeveral':
    'topic {{topic}} (as Flink labels it) is on more than one Kafka connection ({{connections}}): its end offsets are not read',
  'kafkaLag.connectionSilent': 'Kafka connection {{connection}} was not asked for its topics: {{detail}}',
  'kafkaLag.noPartitions':
    "Flink reports no Kafka partition of the job's current run yet (a source reports each once it reads it)",
  'kafkaLag.noKafkaSource':
    "job {{job}} reads no Kafka table: its SQL declares none with 'connector' = 'kafka' or 'upsert-kafka' that a query reads (tables of a catalog are not looked into)",
  'kafkaLag.noConnection':
    "the brokers {{bootstrapServers}} of table {{table}} are no registered Kafka connection: register them with 'sluice kafka connection add NAME --bootstrap-servers {{bootstrapServers}}'",
  'kafkaLag.noGroup':
    "table {{table}} sets no 'properties.group.id': without a group Flink commits no offsets, so the broker has none to compare; only Flink's metrics show its lag",
  'kafkaLag.badPattern':
    "table {{table}}'s topic-pattern '{{pattern}}' cannot be matched here ({{detail}}): its topics' lag is not read",
  'kafkaLag.nothingCommitted':
    'group {{group}} has committed no offset yet: Flink commits them when a checkpoint completes (set execution.checkpointing.interval)',
  'kafkaLag.notRunning': 'the job has not run, so Flink reports no lag for it',
  'kafka.brokerSilent':
    'the local Kafka broker did not answer at {{bootstrapServers}} within {{seconds}} s; its log: {{logFile}}:\n{{log}}',
  'system.noAlertmanager':
    'Alertmanager is not installed (Debian package prometheus-alertmanager): run scripts/prerequisites.sh, or apt-get install prometheus-alertmanager; or set SLUICE_ALERTMANAGER=off, or SLUICE_ALERTMANAGER_URL to use yours',
  'config.alertmanagerBad': "{{variable}}: '{{value}}' is not a setting: give {{how}}",
  'alertmanager.off':
    'no Alertmanager is in use (SLUICE_ALERTMANAGER=off): alerts are evaluated by nobody; unset SLUICE_ALERTMANAGER for the one Sluice runs, or set SLUICE_ALERTMANAGER_URL to use yours',
  'alertmanager.notStarted':
    'the embedded Alertmanager has not been started yet (it starts once the API listens)',
  'alertmanager.starting': 'the embedded Alertmanager is starting at {{url}}',
  'alertmanager.exited':
    'the embedded Alertmanager exited ({{status}}); its log is {{logFile}}, whose last lines are:\n{{log}}',
  'alertmanager.restarting':
    'the embedded Alertmanager exited ({{status}}) and is started again at {{url}} after {{seconds}} s (restart {{count}} since Sluice started); its log is {{logFile}}, whose last lines are:\n{{log}}',
  'alertmanager.notReady': 'Alertmanager at {{url}} is not ready: {{detail}}',
  'alertmanager.cannotStart': 'the embedded Alertmanager could not start: {{detail}}',
  'alertmanager.reloadRefused':
    'the embedded Alertmanager refused its new configuration {{configFile}}: {{detail}}',
  'alert.badRuleName':
    "'{{name}}' is not a rule name: use lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit",
  'alert.badKind': "'{{value}}' is not a kind of rule: give one of {{kinds}}",
  'alert.noThreshold': 'a {{kind}} rule takes no threshold: leave it out',
  'alert.thresholdNeeded': 'a {{kind}} rule needs a threshold ({{unit}}): give one, such as --threshold 1000',
  'alert.badThreshold': "'{{value}}' is not a threshold: give a number of 0 or more",
  'alert.badFor':
    "'{{value}}' is not a Prometheus duration (above zero for a counting window): write numbers with units (s, m, h, d), largest first, such as 30s, 5m or 1h30m",
  'alert.badSeverity': "'{{value}}' is not a severity: give critical, warning or info",
  'alert.noChannel':
    'a rule needs the channel its messages go through: give one (sluice alert channel list names them)',
  'alert.ruleNotFound': 'alert rule {{name}} does not exist: sluice alert list names the rules',
  'alert.jobNotFound':
    'job {{job}} does not exist: sluice job list names the jobs; leave --job out for a rule on every job of the space',
  'alert.jobElsewhere':
    "job {{job}} is in space '{{jobSpace}}', not in '{{space}}' where rule {{name}} is: a rule watches the jobs of its own space (give --space {{jobSpace}}, or leave --job out for every job of '{{space}}')",
  'alert.channelNotFound':
    'alert channel {{channel}} does not exist: add it first (sluice alert channel add {{channel}} --type ... --url ...)',
  'alert.payloadVersion':
    "Alertmanager's webhook payload version {{version}} is not version 4: this Sluice reads version 4 (Alertmanager 0.25)",
  // Resource profiles (normal, peak) of jobs, and a target's active one.
  'profile.badName':
    "'{{name}}' is not a profile name: use lowercase letters, digits and '-' (at most 32, starting and ending with a letter or digit), such as normal or peak",
  'profile.notFound':
    'job {{job}} has no resource profile {{profile}}: sluice job profile list {{job}} names its profiles',
  'profile.maxParallelism':
    "option 'pipeline.max-parallelism' cannot differ between profiles: a job's state is kept in that many key groups, and Flink refuses to restore a savepoint into another number. Set it in the job's version instead",
  'profile.switchUnderWay':
    'target {{target}} is already switching to profile {{profile}}: wait until its switch ends (sluice target profile {{target}} shows it)',
  'profile.scopeFlags':
    'give exactly one of --space SPACE (every job of the space, on any target) or --target TARGET (every job on the target)',
  'profile.spaceSwitchUnderWay':
    'space {{space}} is already switching to profile {{profile}}: wait until its switch ends (sluice profile status --space {{space}} shows it)',
  // Scheduled switches of a space's or a target's active profile.
  'schedule.badTime':
    "'{{value}}' is not a time with its offset: write ISO 8601 with Z or ±hh:mm, such as 2026-11-10T23:00:00+08:00",
  'schedule.badRepeat': "'{{value}}' is not a repeat: use one of {{repeats}}",
  'schedule.inThePast':
    '{{at}} is in the past (it is {{now}}): give a time to come, or --repeat daily|weekly for a switch that recurs',
  'schedule.unknownProfile':
    'no job on target {{target}} has a profile {{profile}} ({{known}}): give a job that profile first (sluice job profile set JOB {{profile}} --parallelism N)',
  'schedule.noProfiles': 'its jobs have no profiles',
  'schedule.profilesThere': 'its jobs have {{profiles}}',
  'schedule.notFound':
    'target {{target}} has no scheduled switch {{id}}: sluice profile schedule list --target {{target}} names them',
  'schedule.spaceUnknownProfile':
    'no job of space {{space}} has a profile {{profile}} ({{known}}): give a job that profile first (sluice job profile set JOB {{profile}} --parallelism N)',
  'schedule.spaceNotFound':
    'space {{space}} has no scheduled switch {{id}}: sluice profile schedule list --space {{space}} names them',
  'schedule.spaceMissed':
    'the server was not running at {{due}}: it was {{late}} min late, more than {{limit}} min, so the switch was not made (switch by hand: sluice profile switch {{profile}} --space {{space}})',
  'schedule.missed':
    'the server was not running at {{due}}: it was {{late}} min late, more than {{limit}} min, so the switch was not made (switch by hand: sluice target profile {{target}} {{profile}})',
  'invalid.field': '{{field}}: {{problem}}',
} as const;

export type MessageCode = keyof typeof MESSAGES;
export type MessageParam = string | number | Message;
export interface Message {
  code: MessageCode;
  params: Record<string, MessageParam>;
}

export const message = (code: MessageCode, params: Record<string, MessageParam> = {}): Message => ({
  code,
  params,
});

export const isMessage = (v: unknown): v is Message =>
  typeof v === 'object' && v !== null && typeof (v as Message).code === 'string' && 'params' in v;

/** Fills a template: each `{{name}}` with its parameter, a nested message rendered by `render`. */
export function fillTemplate(
  template: string,
  params: Record<string, MessageParam>,
  render: (m: Message) => string,
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return isMessage(v) ? render(v) : String(v);
  });
}

/** The English text of a message. */
export function renderMessage(m: Message): string {
  return fillTemplate(MESSAGES[m.code], m.params, renderMessage);
}

/** Each string in a message, changed by `f` (secrets are masked where they enter a value). */
export function mapMessageText(m: Message, f: (s: string) => string): Message {
  const params: Record<string, MessageParam> = {};
  for (const [k, v] of Object.entries(m.params))
    params[k] = typeof v === 'string' ? f(v) : isMessage(v) ? mapMessageText(v, f) : v;
  return { code: m.code, params };
}
