import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { SLUICE_VERSION } from '../application/version.ts';
import { supportedEngineVersionsText } from '../domain/engines/flink-distribution.ts';
import { ApiError, cliClient } from './client.ts';
import { exitQuietlyWhenOutputCloses, outputClosed, printJson, table, withoutTrace } from './output.ts';
import { jobCommands } from './commands/jobs.ts';
import { sqlCommands } from './commands/sql.ts';
import { workspaceCommands } from './commands/workspace.ts';
import { artifactCommands } from './commands/artifacts.ts';
import { kubernetesCommands } from './commands/kubernetes.ts';
import { printKubernetesCluster, resourcesCommand } from './commands/resources.ts';
import { quotaCommand } from './commands/quotas.ts';
import { profileCommands, targetProfileCommand } from './commands/profiles.ts';
import { kafkaCommands } from './commands/kafka.ts';
import { alertCommands } from './commands/alerts.ts';
import { alertRuleCommands } from './commands/alert-rules.ts';
import { accessCommands } from './commands/access.ts';
import { auditCommands } from './commands/audit.ts';

const serverUrl = () => process.env.SLUICE_URL ?? `http://localhost:${process.env.SLUICE_PORT ?? 8080}`;
const api = (server?: string) => cliClient(server ?? serverUrl());
const say = (line: string) => process.stderr.write(`  ${line}\n`);

const program = new Command('sluice')
  .description('Sluice: a one-stop real-time computing platform for Apache Flink')
  .showHelpAfterError()
  // The program's -V/--version is read before the command only: `artifact delete --version 2` is the command's.
  .enablePositionalOptions();

program
  .command('server')
  .description('run the platform: API on http://localhost:8080, local Flink provisioned and started')
  .option('--port <port>', 'HTTP port (SLUICE_PORT, default 8080)')
  .option('--host <host>', 'address to listen on (SLUICE_HOST, default 127.0.0.1)')
  .option('--no-auto-start', 'do not provision the default engine or start its session cluster')
  // Imported on demand: the other commands only need the API client and start faster without it.
  .action(async (o) => (await import('./commands/server.ts')).runServer(o));

const engine = program.command('engine').description('Flink engines (installed versions)');
engine
  .command('install <version>')
  .description(`provision a Flink version from Maven Central: ${supportedEngineVersionsText()}`)
  .option('--no-wait', 'return at once with the operation id')
  .action(async (version: string, o: { wait: boolean }) => {
    const op = await api().engines.install(version);
    if (!o.wait) return printJson({ operation: op.id });
    const done = await api().operations.follow(op, say);
    const r = done.result as { version: string; flinkVersion: string; home: string };
    console.log(`engine ${r.version} (Flink ${r.flinkVersion}) installed at ${r.home}`);
  });
engine
  .command('add')
  .description('register an existing Flink distribution')
  .requiredOption('--home <dir>', 'the Flink folder (holds lib/ and opt/)')
  .action(async (o: { home: string }) => {
    const e = await api().engines.register(o.home);
    console.log(`engine ${e.version} (Flink ${e.flinkVersion}) registered from ${e.home}`);
  });
engine
  .command('list')
  .description('installed engines: version, Flink release, default, source and health')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const list = await api().engines.list();
    if (o.json) return printJson(list);
    console.log(
      table(
        list.map((e) => ({
          ...e,
          default: e.isDefault ? '*' : '',
          status: e.healthy ? 'ok' : `broken: ${e.problem}`,
        })),
        ['version', 'flinkVersion', 'default', 'source', 'status', 'home'],
      ),
    );
  });
engine
  .command('default <version>')
  .description('make an engine the default')
  .action(async (version: string) => {
    const e = await api().engines.setDefault(version);
    console.log(`engine ${e.version} is now the default`);
  });

const target = program.command('target').description('deployment targets: where jobs run');
target
  .command('list')
  .description(
    'every deployment target with its kind (local-session, remote-session, local-application, kubernetes-<mode>), where it is, its state or health and Flink version',
  )
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const targets = (await api().targets.list()).map((c) => ({
      name: c.name,
      kind: c.targetKind,
      state: c.state,
      engineVersion: c.engineVersion,
      flinkVersion: c.flinkVersion,
      // Where it is: a REST address, or a Kubernetes namespace on a cluster (by its context).
      where: c.kubernetes
        ? `${c.kubernetes.spec.namespace} @ ${c.kubernetes.context ?? 'in-cluster'} (${c.kubernetes.server ?? '?'})`
        : c.restUrl,
      restUrl: c.restUrl,
      ...(c.kubernetes
        ? {
            namespace: c.kubernetes.spec.namespace,
            context: c.kubernetes.context,
            server: c.kubernetes.server,
            mode: c.kubernetes.spec.mode,
            image: c.kubernetes.spec.image,
            checks: c.kubernetes.checks,
          }
        : {}),
      ...(c.problem ? { problem: c.problem } : {}),
    }));
    if (o.json) return printJson(targets);
    console.log(table(targets, ['name', 'kind', 'state', 'engineVersion', 'flinkVersion', 'where']));
    for (const t of targets) if (t.problem) process.stderr.write(`${t.name}: ${t.problem}\n`);
  });
target
  .command('add <name>')
  .description(
    'register a Kubernetes target: a cluster and namespace, one way to run jobs; its cluster is checked first (API, namespace, permissions, operator CRDs)',
  )
  .requiredOption('--kubernetes', 'the target is a Kubernetes cluster (the only kind added this way)')
  .option('--kubeconfig <file>', 'a kubeconfig file (default: the service account of the pod Sluice runs in)')
  .option('--context <context>', "the kubeconfig's context (default: its current context)")
  .requiredOption('--namespace <ns>', 'the namespace jobs run in')
  .requiredOption('--mode <mode>', 'operator, native or standalone')
  .option('--image <image>', 'the Flink image (default: the official flink:<Flink version>-java17)')
  .option('--engine <version>', 'Flink engine version of its jobs (default: the default engine)')
  .option('--image-pull-policy <policy>', 'Always, IfNotPresent (default) or Never')
  .option('--image-pull-secret <secret...>', 'secrets to pull the image with')
  .option('--service-account <sa>', "the JobManager pods' service account")
  .option('--shared-dir <dir>', 'a folder Sluice and every node see at the same path (job jars, savepoints)')
  .option(
    '--shared-claim <pvc>',
    "with --shared-dir: a PersistentVolumeClaim in the namespace (Bound) whose volume holds that folder (its root): the pods mount its folders by subPath at the same paths instead of hostPath (NFS, CephFS... mounted at --shared-dir on Sluice's machine)",
  )
  .option(
    '--flink-option <key=value...>',
    'Flink options every job gets under its own (kubernetes.taskmanager.tolerations=..., kubernetes.rest-service.exposed.type=NodePort, sluice.ingress.template={{name}}.flink.example.com, sluice.ingress.class-name=nginx)',
  )
  .option(
    '--platform-url <url>',
    "Sluice's URL as the pods reach it: an init container fetches each run's jars from it (no shared folder needed for them)",
  )
  .option(
    '--artifacts-from <where>',
    "s3: an init container fetches each run's jars from the server's S3-compatible artifact bucket by presigned URLs (standalone mode; no platform URL or shared folder needed for them)",
  )
  .option(
    '--s3-endpoint-for-pods <url>',
    "with --artifacts-from s3: the bucket's endpoint as the pods reach it, when it differs from the server's SLUICE_ARTIFACT_S3_ENDPOINT",
  )
  .option(
    '--connectors-in-image',
    "the image's lib already has the connectors jobs name (Kafka, JDBC): runs get none of the engine's connector jars (by default each SQL job's run gets those its tables name, which the official image lacks)",
  )
  .option(
    '--upgrade-mode <mode>',
    'operator mode: savepoint (default), last-state or stateless, how the operator carries state through an upgrade in place',
  )
  .option(
    '--session',
    "one session cluster in the namespace that Sluice runs (any --mode; --shared-dir needed), started and stopped with 'sluice cluster start|stop NAME'; its jobs are submitted to it as to a local session",
  )
  .option('--task-managers <n>', 'with --session: TaskManager pods (default 1)', Number)
  .option('--slots <n>', 'with --session: slots per TaskManager (default 4)', Number)
  .option('--jm-memory <size>', "with --session: the JobManager's process memory (default 1024m)")
  .option('--tm-memory <size>', "with --session: each TaskManager's process memory (default 1536m)")
  .option('--gateway-memory <size>', "with --session: the SQL Gateway container's memory (default 512m)")
  .action(
    async (
      name: string,
      o: {
        kubeconfig?: string;
        context?: string;
        namespace: string;
        mode: string;
        image?: string;
        engine?: string;
        imagePullPolicy?: string;
        imagePullSecret?: string[];
        serviceAccount?: string;
        sharedDir?: string;
        sharedClaim?: string;
        flinkOption?: string[];
        platformUrl?: string;
        artifactsFrom?: string;
        s3EndpointForPods?: string;
        connectorsInImage?: boolean;
        upgradeMode?: string;
        session?: boolean;
        taskManagers?: number;
        slots?: number;
        jmMemory?: string;
        tmMemory?: string;
        gatewayMemory?: string;
      },
    ) => {
      const sizes = {
        taskManagers: o.taskManagers,
        slotsPerTaskManager: o.slots,
        jobManagerMemory: o.jmMemory,
        taskManagerMemory: o.tmMemory,
        gatewayMemory: o.gatewayMemory,
      };
      const sized = Object.entries(sizes).filter(([, v]) => v !== undefined);
      if (!o.session && sized.length)
        throw new Error(
          `--task-managers, --slots, --jm-memory, --tm-memory and --gateway-memory size a session cluster: add --session, or leave them out (each job's cluster is sized by the job)`,
        );
      const flinkConfiguration: Record<string, string> = {};
      for (const kv of o.flinkOption ?? []) {
        const at = kv.indexOf('=');
        if (at <= 0)
          throw new Error(
            `--flink-option ${kv}: write key=value (e.g. kubernetes.rest-service.exposed.type=NodePort)`,
          );
        flinkConfiguration[kv.slice(0, at)] = kv.slice(at + 1);
      }
      const r = await api().targets.registerKubernetes({
        name,
        // The server reads the file: a path relative to where the CLI runs means nothing to it.
        ...(o.kubeconfig ? { kubeconfig: path.resolve(o.kubeconfig) } : {}),
        ...(o.context ? { context: o.context } : {}),
        namespace: o.namespace,
        mode: o.mode,
        ...(o.engine ? { engineVersion: o.engine } : {}),
        ...(o.image ? { image: o.image } : {}),
        ...(o.imagePullPolicy ? { imagePullPolicy: o.imagePullPolicy } : {}),
        ...(o.imagePullSecret ? { imagePullSecrets: o.imagePullSecret } : {}),
        ...(o.serviceAccount ? { serviceAccount: o.serviceAccount } : {}),
        ...(o.sharedDir ? { sharedDir: path.resolve(o.sharedDir) } : {}),
        ...(o.sharedClaim ? { sharedClaim: o.sharedClaim } : {}),
        ...(Object.keys(flinkConfiguration).length ? { flinkConfiguration } : {}),
        ...(o.platformUrl ? { platformUrl: o.platformUrl } : {}),
        ...(o.artifactsFrom ? { artifactsFrom: o.artifactsFrom } : {}),
        ...(o.s3EndpointForPods ? { s3EndpointForPods: o.s3EndpointForPods } : {}),
        ...(o.connectorsInImage ? { connectorsInImage: true } : {}),
        ...(o.upgradeMode ? { upgradeMode: o.upgradeMode } : {}),
        ...(o.session ? { session: Object.fromEntries(sized) } : {}),
      });
      for (const c of r.checks) say(`${c.name}: ${c.detail}`);
      const s = r.spec.session;
      console.log(
        `Kubernetes target ${r.spec.name} registered: ${r.spec.mode} ${s ? 'session' : 'mode'}${r.spec.upgradeMode ? ` (upgrade mode ${r.spec.upgradeMode})` : ''} in namespace ${r.spec.namespace} (Kubernetes ${r.serverVersion}), image ${r.spec.image}${s ? `; its session cluster: ${s.taskManagers} TaskManager(s) of ${s.slotsPerTaskManager} slot(s), start it with 'sluice cluster start ${r.spec.name}'` : ''}`,
      );
    },
  );
target
  .command('show <name>')
  .description(
    "a Kubernetes target's cluster: pending pods with their reason, the nodes' requested vs allocatable CPU and memory, its jobs' requests",
  )
  .option('--json', 'print JSON')
  .action(async (name: string, o: { json?: boolean }) => {
    const v = await api().targets.kubernetesCluster(name);
    if (o.json) return printJson(v);
    console.log(`target ${v.target}: namespace ${v.namespace} on ${v.server} (${v.at})`);
    const spec = (await api().targets.get(name)).kubernetes?.spec;
    if (spec)
      console.log(
        `mode ${spec.mode}${spec.upgradeMode ? `, upgrade mode ${spec.upgradeMode}` : ''}, image ${spec.image}`,
      );
    if (spec?.sharedDir)
      console.log(
        `shared folder ${spec.sharedDir}${spec.sharedClaim ? `, the pods mount it from persistent volume claim ${spec.sharedClaim}` : ', the pods mount it from their node (hostPath)'}`,
      );
    printKubernetesCluster(v);
  });
resourcesCommand(target, api);
quotaCommand(target, api);
targetProfileCommand(target, api);
profileCommands(program, api);
target
  .command('remove <name>')
  .description('remove a deployment target no job names (a local one with its session cluster stopped)')
  .action(async (name: string) => {
    await api().targets.remove(name);
    console.log(`deployment target ${name} removed`);
  });

const cluster = program
  .command('cluster')
  .description('the session clusters of deployment targets (local and remote session targets)');
cluster
  .command('list')
  .description('the session cluster of every target with its state, TaskManagers and free slots')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const list = await api().targets.list();
    if (o.json) return printJson(list);
    console.log(
      table(
        list.map((c) => ({
          ...c,
          taskmanagers: c.overview?.taskmanagers ?? '-',
          slots: c.overview ? `${c.overview['slots-available']}/${c.overview['slots-total']}` : '-',
        })),
        ['name', 'state', 'flinkVersion', 'taskmanagers', 'slots', 'restUrl', 'gatewayUrl'],
      ),
    );
  });
cluster
  .command('start [name]')
  .description(
    'create if needed the local session target and start its session cluster (default: local-<default engine>); a Kubernetes session target (sluice target add --session) has its pods applied',
  )
  .option('--engine <version>', 'Flink engine version')
  .option('--rest-port <port>', 'JobManager REST port', Number)
  .option('--rpc-port <port>', 'JobManager RPC port', Number)
  .option('--gateway-port <port>', 'SQL Gateway port', Number)
  .option('--task-managers <n>', 'number of TaskManagers', Number)
  .option('--slots <n>', 'slots per TaskManager', Number)
  .option('--jm-memory <size>', 'JobManager process memory, e.g. 1024m')
  .option('--tm-memory <size>', 'TaskManager process memory, e.g. 1536m')
  .option('--no-wait', 'return at once with the operation id')
  .action(async (name: string | undefined, o) => {
    const client = api();
    // A Kubernetes session target's cluster was sized at its registration: it is only started here.
    const kubernetes = name
      ? (await client.targets.list()).find((t) => t.name === name && t.kind === 'kubernetes')
      : undefined;
    if (kubernetes) {
      const own = [
        'engine',
        'restPort',
        'rpcPort',
        'gatewayPort',
        'taskManagers',
        'slots',
        'jmMemory',
        'tmMemory',
      ];
      const given = own.filter((k) => (o as Record<string, unknown>)[k] !== undefined);
      if (given.length)
        throw new Error(
          `${kubernetes.name} is a Kubernetes session target: its cluster is sized when it is registered (sluice target add ${kubernetes.name} --kubernetes --session --task-managers N --slots N --jm-memory M --tm-memory M), not by ${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
        );
      const op = await client.targets.start(kubernetes.name);
      if (!o.wait) return printJson({ operation: op.id });
      await client.operations.follow(op, say);
      console.log(
        `session cluster ${kubernetes.name} is running in namespace ${kubernetes.kubernetes?.spec.namespace}`,
      );
      return;
    }
    const engineVersion: string | undefined =
      o.engine ?? (await client.engines.list()).find((e) => e.isDefault)?.version;
    const targetName = name ?? `local-${engineVersion}`;
    await client.targets.define(targetName, {
      engineVersion,
      restPort: o.restPort,
      rpcPort: o.rpcPort,
      gatewayPort: o.gatewayPort,
      taskManagers: o.taskManagers,
      slotsPerTaskManager: o.slots,
      jobManagerMemory: o.jmMemory,
      taskManagerMemory: o.tmMemory,
    });
    const op = await client.targets.start(targetName);
    if (!o.wait) return printJson({ operation: op.id });
    await client.operations.follow(op, say);
    console.log(`session cluster ${targetName} is running`);
  });
cluster
  .command('register <name>')
  .description(
    'register a remote session target: a session cluster Sluice does not run, by its Flink REST (and SQL Gateway) address',
  )
  .requiredOption('--rest-url <url>', "the JobManager's REST address, e.g. http://flink:8081")
  .option('--gateway-url <url>', "the SQL Gateway's address, e.g. http://flink:8083 (needed to run SQL)")
  .action(async (name: string, o: { restUrl: string; gatewayUrl?: string }) => {
    const c = await api().targets.registerRemote(name, o.restUrl, o.gatewayUrl);
    console.log(`remote session target ${c.name} registered (Flink ${c.engineVersion} at ${o.restUrl})`);
  });
cluster
  .command('stop <name>')
  .description(
    "stop a session target's session cluster: every process of a local one, every pod of a Kubernetes one (its jobs stop with it)",
  )
  .action(async (name: string) => {
    const s = await api().targets.stop(name);
    console.log(`session cluster ${name} is ${s.state}`);
  });
cluster
  .command('status <name>')
  .description('the session cluster of a target: processes, pids, restarts and recent process events')
  .option('--json', 'print JSON')
  .action(async (name: string, o: { json?: boolean }) => {
    const s = await api().targets.get(name);
    if (o.json) return printJson(s);
    console.log(
      `${s.name}: ${s.state} (Flink ${s.flinkVersion}) REST ${s.restUrl}  SQL Gateway ${s.gatewayUrl}`,
    );
    console.log(
      table(s.processes as unknown as Record<string, unknown>[], [
        'id',
        'pid',
        'alive',
        'adopted',
        'restarts',
        'startedAt',
      ]),
    );
    if (s.events.length) {
      console.log('\nrecent process events:');
      console.log(
        table(s.events.slice(-10) as unknown as Record<string, unknown>[], [
          'at',
          'processId',
          'kind',
          'detail',
        ]),
      );
    }
  });

jobCommands(program, api, say);
sqlCommands(program, api);
workspaceCommands(program, api, say);
artifactCommands(program, api, say);
kubernetesCommands(program, api);
kafkaCommands(program, api, say);
alertCommands(program, api, say);
alertRuleCommands(program, api, say);
accessCommands(program, api, serverUrl, say);
auditCommands(program, api);

program
  .option('-V, --version', 'print the version of the CLI and, when it answers, of the server')
  .allowExcessArguments() // set after the commands were added, so that none of them inherits it
  .action(async (o: { version?: boolean }) => {
    // Without a command the program's own action runs: an unknown command name arrives here too.
    if (program.args.length) (program as unknown as { unknownCommand(): never }).unknownCommand();
    if (!o.version) program.help({ error: true });
    console.log(`sluice CLI ${SLUICE_VERSION}`);
    const url = serverUrl().replace(/\/$/, '');
    try {
      console.log(`sluice server ${(await api().health(AbortSignal.timeout(3_000))).version} at ${url}`);
    } catch (e) {
      // The CLI's own version is still an answer: say why the server's is missing, and succeed.
      const why =
        e instanceof ApiError && typeof e.details.cause === 'string' ? e.details.cause : (e as Error).message;
      process.stderr.write(`no Sluice server answers at ${url} (${why})\n`);
    }
  });

/** The whole command tree, built without running anything (the tests walk it). */
export const buildProgram = (): Command => program;

function fail(e: unknown): void {
  // The reader went away (`| head`): whatever failed after that is not worth a word or a status.
  if (outputClosed()) return;
  if (e instanceof ApiError) {
    process.stderr.write(`error: ${withoutTrace(e.message)}\n`);
    const steps = e.details.steps as { name: string; status: string; log: string[] }[] | undefined;
    const failed = steps?.find((s) => s.status === 'failed');
    if (failed) process.stderr.write(`failed step: ${failed.name}\n`);
    else if (typeof e.details.step === 'string') process.stderr.write(`failed step: ${e.details.step}\n`);
    if (typeof e.details.rootCause === 'string')
      process.stderr.write(`root cause: ${withoutTrace(e.details.rootCause)}\n`);
  } else if (e instanceof Error && e.name === 'SluiceError') {
    // The platform's own refusal (a setting at server start): its message says what to do, a trace does not.
    process.stderr.write(`error: ${e.message}\n`);
  } else {
    process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  }
  process.exit(1);
}

// Run only as the program (bin/sluice), not when a test imports the tree.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  exitQuietlyWhenOutputCloses();
  program.parseAsync(process.argv).catch(fail);
}
