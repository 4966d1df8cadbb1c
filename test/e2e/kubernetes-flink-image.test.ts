import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { officialFlinkImage } from '../../src/domain/targets/kubernetes-target.ts';
import { type LocalCluster, clusterUp, ensureFlinkImage } from '../support/kubernetes/cluster.ts';
import { flinkImageName, flinkImageVersion } from '../support/kubernetes/flink-image.ts';
import { compileAgainstEngine } from '../support/javac.ts';

/**
 * The harness's Flink image behaves as the official `flink:<v>-java17`: the Deployments of Flink's
 * "standalone Kubernetes" documentation, adapted, run from it by that very name, through its own
 * /docker-entrypoint.sh (jobmanager, taskmanager, standalone-job, help, pass-through). Adapted because
 * this cluster has no DNS: the TaskManagers reach the JobManager by its Service's ClusterIP rather than
 * the Service's name, and pods get a resolver that answers nothing (dnsPolicy None) so no lookup leaves
 * the machine. The JobManager's REST API is read through the API server's service proxy, as there is no
 * Ingress or LoadBalancer. The cluster is shared and left running; only this file's namespace goes.
 */

const namespace = 'h-image';
/** The releases of the engines Sluice provisions (1.20, 2.2, 1.19), each as its own image. */
const VERSIONS = ['1.20', '2.2', '1.19'].map((v) => flinkImageVersion(v));
/** The job below is compiled against the run's 1.20 engine, so it runs on the 1.20 image. */
const JOB_VERSION = flinkImageVersion('1.20');
let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

/** A probe's error that waiting longer cannot cure (a job failed, a pod restarted). */
class Hopeless extends Error {}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof Hopeless) throw e;
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function deleteNamespace(): Promise<void> {
  const exists = async () => (await core.listNamespace()).items.some((n) => n.metadata?.name === namespace);
  if (!(await exists())) return;
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await waitFor(`namespace ${namespace} gone`, 180_000, async () => ((await exists()) ? undefined : true));
}

/**
 * The JDK 17 module flags of the distribution's own config.yaml (env.java.opts.all): a ConfigMap that
 * replaces conf/ must carry them, or Flink's reflection into java.util fails when a job is built.
 */
const JAVA17_OPTS = [
  ...['java.base/sun.net.util', 'java.rmi/sun.rmi.registry', 'java.security.jgss/sun.security.krb5'].map(
    (p) => `--add-exports=${p}=ALL-UNNAMED`,
  ),
  ...['api', 'file', 'parser', 'tree', 'util'].map(
    (p) => `--add-exports=jdk.compiler/com.sun.tools.javac.${p}=ALL-UNNAMED`,
  ),
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`),
].join(' ');

/** A Flink configuration as the docs' ConfigMap has it: config.yaml plus the console logging. */
function flinkConfig(jobManagerAddress: string): Record<string, string> {
  return {
    'config.yaml': [
      `env.java.opts.all: ${JAVA17_OPTS}`,
      `jobmanager.rpc.address: ${jobManagerAddress}`,
      'jobmanager.rpc.port: 6123',
      'jobmanager.bind-host: 0.0.0.0',
      'jobmanager.memory.process.size: 1024m',
      'taskmanager.bind-host: 0.0.0.0',
      'taskmanager.rpc.port: 6122',
      'taskmanager.numberOfTaskSlots: 1',
      'taskmanager.memory.process.size: 1024m',
      'blob.server.port: 6124',
      'rest.address: 0.0.0.0',
      'rest.bind-address: 0.0.0.0',
      'rest.port: 8081',
      'parallelism.default: 1',
      '',
    ].join('\n'),
    'log4j-console.properties': [
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.console.ref = ConsoleAppender',
      'appender.console.name = ConsoleAppender',
      'appender.console.type = CONSOLE',
      'appender.console.layout.type = PatternLayout',
      'appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n',
      '',
    ].join('\n'),
  };
}

/** Pod settings every Flink pod here shares: the local image, no lookups leaving the machine. */
function flinkPodSpec(
  image: string,
  name: string,
  args: string[],
  configMap: string,
  extra: { volumes?: k8s.V1Volume[]; mounts?: k8s.V1VolumeMount[] } = {},
): k8s.V1PodSpec {
  return {
    // No cluster DNS: a resolver that refuses at once keeps lookups (hostname -f, ...) on the machine.
    dnsPolicy: 'None',
    dnsConfig: { nameservers: ['127.0.0.1'] },
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name,
        image,
        // There is no registry: the harness imported the image into containerd.
        imagePullPolicy: 'Never',
        args,
        ports: [
          { containerPort: 6123, name: 'rpc' },
          { containerPort: 6124, name: 'blob-server' },
          { containerPort: 8081, name: 'webui' },
        ],
        volumeMounts: [{ name: 'flink-config', mountPath: '/opt/flink/conf' }, ...(extra.mounts ?? [])],
      },
    ],
    volumes: [
      {
        name: 'flink-config',
        configMap: {
          name: configMap,
          items: [
            { key: 'config.yaml', path: 'config.yaml' },
            { key: 'log4j-console.properties', path: 'log4j-console.properties' },
          ],
        },
      },
      ...(extra.volumes ?? []),
    ],
  };
}

function deployment(name: string, spec: k8s.V1PodSpec): k8s.V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec },
    },
  };
}

/** The JobManager's Service (rpc, blob server, REST) as the docs have it; its ClusterIP stands in for DNS. */
async function jobManagerService(name: string, app: string): Promise<string> {
  const svc = await core.createNamespacedService({
    namespace,
    body: {
      metadata: { name },
      spec: {
        selector: { app },
        ports: [
          { name: 'rpc', port: 6123 },
          { name: 'blob-server', port: 6124 },
          { name: 'rest', port: 8081 },
        ],
      },
    },
  });
  const ip = svc.spec?.clusterIP ?? '';
  expect(ip).toMatch(/^10\.96\./);
  return ip;
}

/** GET on the JobManager's REST API through the API server's service proxy (no Ingress here). */
async function rest<T>(service: string, urlPath: string): Promise<T> {
  const body: unknown = await core.connectGetNamespacedServiceProxyWithPath({
    name: `${service}:rest`,
    namespace,
    path: urlPath,
  });
  return (typeof body === 'string' ? JSON.parse(body) : body) as T;
}

async function podLogOf(app: string): Promise<string> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  const name = pods.items[0]?.metadata?.name;
  if (!name) return '(no pod)';
  return core.readNamespacedPodLog({ name, namespace }).catch((e: unknown) => `(no log: ${String(e)})`);
}

/** The image's class-data sharing archives (flink-image.sh): its JobManagers' and TaskManagers', named by its JAVA_TOOL_OPTIONS. */
const CDS_ARCHIVE = '/opt/flink/cds/flink.jsa';

/** A shell command's output in a pod of an app, as the user flink (1.x's image execs as root). */
async function inPodOf(app: string, command: string): Promise<string> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  const pod = pods.items[0]?.metadata?.name;
  if (!pod) throw new Error(`no pod of ${app} in ${namespace}`);
  // Root in a container may not read another user's /proc/<pid>/maps (no CAP_SYS_PTRACE).
  const asFlink = 'if [ "$(id -u)" = 0 ]; then exec gosu flink bash -c "$1"; else exec bash -c "$1"; fi';
  return execFileSync(
    cluster.kubectl,
    [
      '--kubeconfig',
      cluster.kubeconfig,
      '-n',
      namespace,
      'exec',
      pod,
      '--',
      'sh',
      '-c',
      asFlink,
      'sh',
      command,
    ],
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
}

/**
 * The Flink JVM of a pod (PID 1: the entrypoint and Flink's scripts exec it) maps the image's CDS
 * archive, so its classpath is the one the archive was made for; and its log has no line of the JVM's
 * about CDS (a classpath the archive does not fit says `[warning][cds...] Unable to use shared archive`).
 */
async function expectCdsArchiveMapped(app: string): Promise<void> {
  const cmdline = (await inPodOf(app, 'cat /proc/1/cmdline')).split('\0');
  expect(cmdline[0], `${app}'s PID 1`).toMatch(/\/java$/);
  expect(cmdline[cmdline.indexOf('-classpath') + 1], `${app}'s JVM classpath`).toMatch(
    /^\/opt\/flink\/lib\//,
  );
  expect(await inPodOf(app, 'cat /proc/1/maps'), `${app}'s JVM maps ${CDS_ARCHIVE}`).toContain(CDS_ARCHIVE);
  expect(await podLogOf(app)).not.toMatch(/\[(warning|error)\]\[cds/);
}

/**
 * BashJavaUtils as Flink's scripts run it (bash-java-utils.sh's runBashJavaUtilsCmd, with the
 * classpath they give it) maps its own archive: with -Xshare:on its JVM starts only if it does, and
 * prints the memory settings the scripts parse.
 */
async function expectBashJavaUtilsArchiveMapped(app: string): Promise<void> {
  const output = await inPodOf(
    app,
    [
      '. /opt/flink/bin/bash-java-utils.sh',
      'JAVA_RUN=$JAVA_HOME/bin/java FLINK_LIB_DIR=/opt/flink/lib',
      'JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Xshare:on" runBashJavaUtilsCmd GET_TM_RESOURCE_PARAMS /opt/flink/conf "/opt/flink/bin/bash-java-utils.jar:$(findFlinkDistJar)"',
    ].join('; '),
  );
  expect(output, 'BashJavaUtils with -Xshare:on').toMatch(/^BASH_JAVA_UTILS_EXEC_RESULT:-Xmx\d+/m);
}

/** Runs a pod to completion with the image's entrypoint and returns its log. */
async function runToCompletion(image: string, name: string, args: string[] | undefined): Promise<string> {
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['127.0.0.1'] },
        containers: [{ name, image, imagePullPolicy: 'Never', ...(args ? { args } : {}) }],
      },
    },
  });
  await waitFor(`pod ${name} to finish`, 120_000, async () => {
    const p = await core.readNamespacedPod({ name, namespace });
    if (p.status?.phase === 'Failed')
      throw new Error(`pod ${name} failed: ${await core.readNamespacedPodLog({ name, namespace })}`);
    return p.status?.phase === 'Succeeded' ? true : undefined;
  });
  return core.readNamespacedPodLog({ name, namespace });
}

beforeAll(async () => {
  cluster = await clusterUp();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  // clusterUp imported the default version (1.20); the others are built and imported on first use.
  for (const version of VERSIONS) {
    const started = Date.now();
    expect(await ensureFlinkImage(version)).toBe(flinkImageName(version));
    console.log(`ensureFlinkImage(${version}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await deleteNamespace(); // what a run cut short left
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor('the default ServiceAccount', 60_000, async () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace }),
  );
}, 30 * 60_000);

afterAll(async () => {
  if (core) await deleteNamespace();
}, 200_000);

describe.each(VERSIONS)('the local image flink:%s-java17', (version) => {
  const image = officialFlinkImage(version);
  const tag = version.replace(/\./g, '-');
  const jm = `flink-jobmanager-${tag}`;
  const tm = `flink-taskmanager-${tag}`;
  const config = `flink-config-${tag}`;

  it('answers as the official image: the entrypoint help by default, `flink --version` passed through', async () => {
    const help = await runToCompletion(image, `help-${tag}`, undefined); // the image's CMD ["help"]
    expect(help).toContain(
      'Usage: docker-entrypoint.sh (jobmanager|standalone-job|taskmanager|history-server)',
    );
    const versionLog = await runToCompletion(image, `version-${tag}`, ['flink', '--version']);
    expect(versionLog).toMatch(new RegExp(`Version: ${version.replace(/\./g, '\\.')}, Commit ID: \\w+`));
  }, 300_000);

  it("runs a session cluster from the docs' jobmanager and taskmanager Deployments: 1 TaskManager registered", async () => {
    const ip = await jobManagerService(jm, jm);
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: config }, data: flinkConfig(ip) },
    });
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment(jm, flinkPodSpec(image, 'jobmanager', ['jobmanager'], config)),
    });
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment(tm, flinkPodSpec(image, 'taskmanager', ['taskmanager'], config)),
    });
    const overview = await waitFor(
      'the JobManager reporting 1 TaskManager with its slot',
      // Minutes on purpose: on the shared 2-core machine a JobManager has taken 4 min to start.
      420_000,
      async () => {
        const o = await rest<{ taskmanagers: number; 'slots-total': number; 'flink-version': string }>(
          jm,
          'overview',
        );
        // The slot report follows the registration: both, not a moment between them.
        return o.taskmanagers === 1 && o['slots-total'] === 1 ? o : undefined;
      },
    ).catch(async (e: unknown) => {
      throw new Error(
        `${String(e)}\n--- jobmanager log:\n${await podLogOf(jm)}\n--- taskmanager log:\n${await podLogOf(tm)}`,
      );
    });
    expect(overview['flink-version']).toBe(version);
    expect(overview.taskmanagers).toBe(1);
    // Started by the image's entrypoint and Flink's own scripts, as the user flink: 1.x steps down
    // from root with gosu, 2.x's image runs as flink from the start.
    for (const [app, says] of [
      [jm, 'Starting Job Manager'],
      [tm, 'Starting Task Manager'],
    ] as const) {
      const log = await podLogOf(app);
      expect(log).toContain(says);
      expect(log).toContain('OS current user: flink');
      await expectCdsArchiveMapped(app);
    }
    await expectBashJavaUtilsArchiveMapped(jm);
    // Freed for the next cluster: two 1 GiB Flink processes at a time on the shared machine.
    await apps.deleteNamespacedDeployment({ name: tm, namespace });
    await apps.deleteNamespacedDeployment({ name: jm, namespace });
  }, 540_000);
});

describe(`the local image flink:${JOB_VERSION}-java17 as a job cluster`, () => {
  const image = officialFlinkImage(JOB_VERSION);
  it('runs a job from /opt/flink/usrlib with the standalone-job JobManager to RUNNING', async () => {
    // The PyPI distribution has no examples/ (the official tarball's examples/streaming): a tiny
    // unbounded job compiled here against the run's 1.20 engine stands in for them.
    const work = fs.mkdtempSync(path.join(inject('scratchDir'), 'k8s-image-job-'));
    fs.mkdirSync(path.join(work, 'src'));
    fs.mkdirSync(path.join(work, 'classes'));
    compileAgainstEngine(inject('engineHome'), path.join(work, 'src'), path.join(work, 'classes'), {
      'ImageCheckJob.java': `
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

public class ImageCheckJob {
  /** One number a second, forever: the job stays RUNNING without loading the machine. */
  public static class Ticks implements SourceFunction<Long> {
    private volatile boolean running = true;
    public void run(SourceContext<Long> ctx) throws Exception {
      long i = 0;
      while (running) {
        synchronized (ctx.getCheckpointLock()) { ctx.collect(i++); }
        Thread.sleep(1000);
      }
    }
    public void cancel() { running = false; }
  }
  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.addSource(new Ticks()).print();
    env.execute("sluice-image-check");
  }
}
`,
    });
    const jar = path.join(work, 'image-check-job.jar');
    execFileSync('jar', ['--create', '--file', jar, '-C', path.join(work, 'classes'), '.']);

    const ip = await jobManagerService('flink-job', 'flink-job');
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: { name: 'flink-job-config' },
        data: flinkConfig(ip),
        // The job's jar, as a file the pod mounts into usrlib (no volume provisioner, no registry).
        binaryData: { 'image-check-job.jar': fs.readFileSync(jar).toString('base64') },
      },
    });
    const usrlib = {
      volumes: [
        {
          name: 'job-jar',
          configMap: {
            name: 'flink-job-config',
            items: [{ key: 'image-check-job.jar', path: 'image-check-job.jar' }],
          },
        },
      ],
      mounts: [
        {
          name: 'job-jar',
          mountPath: '/opt/flink/usrlib/image-check-job.jar',
          subPath: 'image-check-job.jar',
        },
      ],
    };
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment(
        'flink-job',
        flinkPodSpec(
          image,
          'jobmanager',
          ['standalone-job', '--job-classname', 'ImageCheckJob'],
          'flink-job-config',
          usrlib,
        ),
      ),
    });
    await apps.createNamespacedDeployment({
      namespace,
      body: deployment(
        'flink-job-taskmanager',
        // As the docs' job cluster: the TaskManagers load the job's classes from their own usrlib.
        flinkPodSpec(image, 'taskmanager', ['taskmanager'], 'flink-job-config', usrlib),
      ),
    });
    const job = await waitFor('the job RUNNING', 300_000, async () => {
      const jm = (await core.listNamespacedPod({ namespace, labelSelector: 'app=flink-job' })).items[0];
      if ((jm?.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0)
        throw new Hopeless('the standalone-job JobManager exited (its job failed or it crashed)');
      const { jobs } = await rest<{
        jobs: { jid: string; name: string; state: string; tasks: { running: number; total: number } }[];
      }>('flink-job', 'jobs/overview');
      const j = jobs.find((x) => x.name === 'sluice-image-check');
      if (j && ['FAILED', 'CANCELED', 'FINISHED'].includes(j.state))
        throw new Hopeless(`the job ended ${j.state}`);
      // RUNNING with every task running: deployed on the TaskManager, not only scheduled.
      return j?.state === 'RUNNING' && j.tasks.running === j.tasks.total ? j : undefined;
    }).catch(async (e: unknown) => {
      throw new Error(
        `${String(e)}\n--- jobmanager log:\n${await podLogOf('flink-job')}\n--- taskmanager log:\n${await podLogOf('flink-job-taskmanager')}`,
      );
    });
    expect(job.state).toBe('RUNNING');
    // The standalone-job JobManager too: usrlib is on the user class loader, not the JVM's classpath.
    await expectCdsArchiveMapped('flink-job');
    await expectCdsArchiveMapped('flink-job-taskmanager');
  }, 420_000);
});
