import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * The real Apache Flink Kubernetes Operator beside the local cluster (cluster.ts): built from its
 * release source (build-operator.sh), its CRDs applied to the API server, and run as a plain `java`
 * process, as a developer runs it outside Kubernetes, but inside the cluster's network namespace.
 *
 * How the operator reaches each FlinkDeployment's REST endpoint: it calls
 * `http://<name>-rest.<namespace>:<rest.port>` (AbstractFlinkService.getClusterClient), unless it
 * finds no KUBERNETES_SERVICE_HOST in its environment, when it calls `localhost:<rest.port>` instead
 * (FlinkOperatorConfiguration: "not running in k8s"), which works for one deployment at a time only.
 * So it runs with KUBERNETES_SERVICE_HOST set (its kubeconfig still wins for the API server), inside
 * the network namespace where kube-proxy's rules route every ClusterIP, and with the JVM's resolver
 * pointed at a hosts file (`-Djdk.net.hosts.file`) that service-hosts.ts keeps up to date from a watch
 * on Services: the names resolve as cluster DNS would resolve them, for any number of deployments,
 * with no forwarder per deployment. (The cluster has no DNS server of its own.)
 */

export const FLINK_OPERATOR_VERSION = '1.15.0';
/** The CustomResourceDefinitions of the operator's helm chart, applied by `clusterUp`. */
export const OPERATOR_CRDS = [
  'flinkdeployments.flink.apache.org',
  'flinksessionjobs.flink.apache.org',
  'flinkstatesnapshots.flink.apache.org',
  'flinkbluegreendeployments.flink.apache.org',
];
/** The names under which cluster.ts supervises the two processes (logs/<name>.log). */
export const OPERATOR_PROCESS = 'flink-operator';
export const SERVICE_HOSTS_PROCESS = 'service-hosts';
/** The ServiceAccount the operator's JobManagers run as (spec.serviceAccount), bound to ClusterRole `edit`. */
export const FLINK_SERVICE_ACCOUNT = 'flink';

/** Logged by the Java Operator SDK once a controller watches its resources: one per CRD. */
const CONTROLLER_STARTED = /'(\w+)' controller started/g;

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
type Log = (message: string) => void;

/** The operator runs unless SLUICE_K8S_OPERATOR=0 (the test suite's cluster must have it). */
export function operatorEnabled(): boolean {
  return process.env.SLUICE_K8S_OPERATOR !== '0';
}

/**
 * The namespaces the operator watches: SLUICE_K8S_OPERATOR_NAMESPACES as a comma-separated list, or
 * every namespace when unset. Each listed namespace is created with the `flink` ServiceAccount.
 */
export function operatorWatchedNamespaces(): string[] | undefined {
  const list = (process.env.SLUICE_K8S_OPERATOR_NAMESPACES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/** build-operator.sh builds or finds the operator; its last line is the cache folder. */
export async function buildOperator(): Promise<string> {
  const script = path.join(here, 'build-operator.sh');
  // Asynchronous: a cold build takes minutes, during which a test worker must stay responsive.
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const cache = out.trim().split('\n').pop() ?? '';
  if (status !== 0 || !fs.existsSync(path.join(cache, 'lib')))
    throw new Error(
      `building the Flink Kubernetes Operator failed (exit ${status}, ${script}): see the lines above`,
    );
  return cache;
}

/** What cluster.ts lends the operator: its paths, and its way of starting and supervising processes. */
export interface OperatorHost {
  stateDir: string;
  kubectl: string;
  /** The admin kubeconfig for the host (through the bridge). */
  kubeconfig: string;
  /** The admin kubeconfig for processes inside the cluster's network namespace (127.0.0.1:6443). */
  insideKubeconfig: string;
  /** The command line that runs argv inside the cluster's network namespace. */
  inNetns(argv: string[]): string[];
  /** Starts a supervised long-running process (its own session, logs/<name>.log, stopped by down). */
  daemon(name: string, argv: string[]): number;
  /** Whether the process `daemon` started under this name still runs. */
  running(name: string): boolean;
  /** Polls probe until it gives a value; throws after timeoutMs or when a supervised process died. */
  until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T>;
}

type ClusterAccess = { kubeconfig: string; kubectl: string };

async function kubectl(cluster: ClusterAccess, args: string[], input?: string): Promise<string> {
  const argv = ['--kubeconfig', cluster.kubeconfig, ...args];
  if (input === undefined) return (await run(cluster.kubectl, argv, { maxBuffer: 64 << 20 })).stdout;
  return new Promise((resolve, reject) => {
    const child = execFile(cluster.kubectl, argv, { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

/** Server-side apply of the helm chart's CRDs, then waits until the API server serves them (Established). */
export async function applyOperatorCrds(
  host: Pick<OperatorHost, 'kubeconfig' | 'kubectl' | 'until'>,
  cache: string,
): Promise<void> {
  // Server-side: the FlinkDeployment CRD is larger than the annotation client-side apply would write.
  await kubectl(host, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=sluice-harness',
    '-f',
    path.join(cache, 'crds'),
  ]);
  // Polled: `kubectl wait` fails on a CRD whose status has no conditions yet.
  await host.until('the operator CRDs Established', 60_000, async () => {
    const list = JSON.parse(await kubectl(host, ['get', 'crd', '-o', 'json', ...OPERATOR_CRDS])) as {
      items: { status?: { conditions?: { type: string; status: string }[] } }[];
    };
    const established = list.items.filter((crd) =>
      crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
    );
    return established.length === OPERATOR_CRDS.length ? true : undefined;
  });
}

/**
 * Makes a namespace ready for the operator's FlinkDeployments: the namespace itself and the `flink`
 * ServiceAccount bound to ClusterRole `edit`, with which JobManagers create TaskManager pods and keep
 * their Kubernetes HA ConfigMaps. (The operator itself acts with the admin kubeconfig.)
 */
export async function prepareOperatorNamespace(cluster: ClusterAccess, namespace: string): Promise<void> {
  const manifest = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: FLINK_SERVICE_ACCOUNT, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${FLINK_SERVICE_ACCOUNT}-edit`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: FLINK_SERVICE_ACCOUNT, namespace }],
    },
  ];
  await kubectl(
    cluster,
    ['apply', '--server-side', '--field-manager=sluice-harness', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifest }),
  );
}

/** The operator's flink-conf.yaml: the helm chart's defaults for deployments plus the harness's settings. */
function writeConf(dir: string, cache: string, namespaces: string[] | undefined): void {
  fs.mkdirSync(path.join(dir, 'conf'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  // log4j-console.properties is what the operator hands JobManagers and TaskManagers whose spec has no
  // logConfiguration.
  for (const f of ['log4j-operator.properties', 'log4j-console.properties'])
    fs.copyFileSync(path.join(cache, 'conf', f), path.join(dir, 'conf', f));
  const helmDefaults = fs.readFileSync(path.join(cache, 'conf', 'flink-conf.yaml'), 'utf8');
  fs.writeFileSync(
    path.join(dir, 'conf', 'flink-conf.yaml'),
    [
      helmDefaults.trimEnd(),
      '',
      '# --- the Sluice test harness (test/support/kubernetes/operator.ts) ---',
      ...(namespaces ? [`kubernetes.operator.watched.namespaces: ${namespaces.join(',')}`] : []),
      // One operator on one machine: no leader election; no health endpoint (readiness is read from its log).
      'kubernetes.operator.leader-election.enabled: false',
      'kubernetes.operator.health.probe.enabled: false',
      // Shorter than the defaults (60 s / 10 s / 10 s) so that tests see state changes sooner: the
      // rest-ready delay alone waits after every JobManager start (a start, a resume, an upgrade).
      'kubernetes.operator.reconcile.interval: 5 s',
      'kubernetes.operator.observer.progress-check.interval: 2 s',
      'kubernetes.operator.observer.rest-ready.delay: 2 s',
      `kubernetes.operator.user.artifacts.base.dir: ${path.join(dir, 'artifacts')}`,
      // Where the operator looks for the log4j-console.properties it puts into each cluster's ConfigMap
      // (default: kubernetes.flink.conf.dir, /opt/flink/conf, a path in the operator's own image). Without
      // it JobManagers and TaskManagers log nothing. Flink removes this key from the pods' configuration.
      `$internal.deployment.config-dir: ${path.join(dir, 'conf')}`,
      // A list option: ';' separates its values, a ',' would not.
      'kubernetes.operator.user.artifacts.allowed-schemes: https;file',
      '',
    ].join('\n'),
  );
  // The hosts file changes while the JVM runs: cache answers briefly, and "not found" not at all.
  fs.writeFileSync(
    path.join(dir, 'conf', 'java.security'),
    'networkaddress.cache.ttl=5\nnetworkaddress.cache.negative.ttl=0\n',
  );
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the operator (and the Service-hosts writer it resolves names with) unless it runs already:
 * builds it when missing, applies the CRDs, and waits until its FlinkDeployment controller has started.
 */
export async function ensureOperator(host: OperatorHost, log: Log): Promise<void> {
  // Whoever started it applied the CRDs and prepared its namespaces.
  if (host.running(OPERATOR_PROCESS) && host.running(SERVICE_HOSTS_PROCESS)) return;
  const cache = await buildOperator();
  await applyOperatorCrds(host, cache);
  const namespaces = operatorWatchedNamespaces();
  for (const ns of namespaces ?? []) await prepareOperatorNamespace(host, ns);

  const started = Date.now();
  const dir = path.join(host.stateDir, OPERATOR_PROCESS);
  writeConf(dir, cache, namespaces);
  const hostsFile = path.join(dir, 'hosts');
  fs.rmSync(hostsFile, { force: true });
  if (!host.running(SERVICE_HOSTS_PROCESS)) {
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    host.daemon(
      SERVICE_HOSTS_PROCESS,
      host.inNetns([
        process.execPath,
        '--import',
        tsxLoader,
        path.join(here, 'service-hosts.ts'),
        host.insideKubeconfig,
        hostsFile,
      ]),
    );
    await host.until('the Service hosts file', 60_000, async () =>
      fs.existsSync(hostsFile) ? true : undefined,
    );
  }
  if (host.running(OPERATOR_PROCESS)) return;

  const conf = path.join(dir, 'conf');
  const classpath = [
    // The standalone-mode jar first, as the operator's own image puts it.
    path.join(cache, 'lib', `flink-kubernetes-standalone-${FLINK_OPERATOR_VERSION}.jar`),
    path.join(cache, 'lib', `flink-kubernetes-operator-${FLINK_OPERATOR_VERSION}-shaded.jar`),
    path.join(cache, 'log4j', '*'),
  ].join(':');
  const pid = host.daemon(
    OPERATOR_PROCESS,
    host.inNetns([
      'env',
      `KUBECONFIG=${host.insideKubeconfig}`,
      `FLINK_CONF_DIR=${conf}`,
      // Makes the operator call `<name>-rest.<namespace>` rather than localhost (see the top of this file).
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'java',
      '-Xmx512m',
      `-Djdk.net.hosts.file=${hostsFile}`,
      `-Djava.security.properties=${path.join(conf, 'java.security')}`,
      `-Dlog4j.configurationFile=file:${path.join(conf, 'log4j-operator.properties')}`,
      '-cp',
      classpath,
      'org.apache.flink.kubernetes.operator.FlinkOperator',
    ]),
  );
  const logFile = path.join(host.stateDir, 'logs', `${OPERATOR_PROCESS}.log`);
  await host.until('the Flink Kubernetes Operator ready', 180_000, async () => {
    const controllers = fs.readFileSync(logFile, 'utf8').match(CONTROLLER_STARTED) ?? [];
    return controllers.length >= OPERATOR_CRDS.length ? true : undefined;
  });
  log(
    `Flink Kubernetes Operator ${FLINK_OPERATOR_VERSION} ready after ${((Date.now() - started) / 1000).toFixed(1)} s (RSS ${rssMiB(pid) ?? '?'} MiB)`,
  );
}
