import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFlinkImageVersions, importFlinkImage } from './flink-image.ts';
import {
  buildOperator,
  ensureOperator,
  OPERATOR_PROCESS,
  operatorEnabled,
  SERVICE_HOSTS_PROCESS,
  type OperatorHost,
} from './operator.ts';
import { makePki, writeKubeconfig, type Pki } from './pki.ts';

/**
 * A real single-node Kubernetes on this machine, for trying Sluice's Kubernetes features and for the
 * tests: etcd, the API server, controller-manager, scheduler, containerd, kubelet and kube-proxy, all
 * real binaries (build.sh), in a network namespace of their own so that their ports, iptables rules
 * and CNI bridge stay away from the host. The host reaches the API server through a socat bridge on
 * 127.0.0.1. One cluster per machine: the namespace, the cgroup and the state folder have fixed names,
 * and `down` finds everything `up` started from them (and from the state folder's cluster.json).
 */

export const KUBERNETES_VERSION = 'v1.34.4';
export const NETNS = 'sluice-k8s';
/** The kubelet's cgroupRoot: pods' cgroups live under it, in each cgroup v1 controller. */
export const CGROUP_ROOT = 'sluice-k8s';
export const NODE_NAME = 'sluice-node';
/** Images `up` imports into containerd: use them with `imagePullPolicy: Never` (there is no registry). */
export const TEST_IMAGE = 'sluice.local/busybox:test';

export const NODE_IP = '10.200.0.1';
const PEER_IP = '10.200.0.2';
const SERVICE_CIDR = '10.96.0.0/16';
const FIRST_SERVICE_IP = '10.96.0.1';
const POD_CIDR = '10.88.0.0/16';
const NETNS_PATH = `/run/netns/${NETNS}`;
const CGROUP_FS = '/sys/fs/cgroup';

/**
 * Places outside the state folder that the node writes to regardless of its configuration: kubelet's
 * /var/log/containers symlinks, libcni's result cache, containerd 1.6's shim sockets.
 */
const HOST_DIRS = ['/var/log/containers', '/var/lib/cni', '/run/containerd'];

const here = path.dirname(fileURLToPath(import.meta.url));

export interface LocalCluster {
  /** Admin kubeconfig (system:masters) pointing at the socat bridge on 127.0.0.1. */
  kubeconfig: string;
  kubectl: string;
  stateDir: string;
}

interface State extends LocalCluster {
  bin: string;
  bridgePort: number;
  /** What `up` started, by name: down stops these first, then anything else it still finds. */
  pids: Record<string, number>;
  /** Host folders kubelet, containerd or CNI write to whatever they are told, absent before `up`: down removes them. */
  createdHostDirs: string[];
}

type Log = (message: string) => void;
const defaultLog: Log = (m) => process.stderr.write(`k8s: ${m}\n`);

export function stateDir(): string {
  return process.env.SLUICE_K8S_STATE ?? '/tmp/sluice-kubernetes';
}

const stateFile = () => path.join(stateDir(), 'cluster.json');

function readState(): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

function saveState(state: State): void {
  fs.writeFileSync(stateFile(), JSON.stringify(state, null, 2));
}

function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new Error(
      'the local Kubernetes needs root (network namespace, mounts, cgroups): run `npm run k8s:up` as root',
    );
}

/** build.sh builds or finds the binaries and images; its last line is the cache folder. */
async function build(log: Log): Promise<string> {
  log(`building what is missing for Kubernetes ${KUBERNETES_VERSION} (cached: seconds; cold: many minutes)`);
  const script = path.join(here, 'build.sh');
  // Asynchronous: a cold build takes many minutes, during which a test worker must stay responsive.
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const cache = out.trim().split('\n').pop() ?? '';
  if (status !== 0 || !fs.existsSync(cache))
    throw new Error(`building the local Kubernetes failed (exit ${status}, ${script}): see the lines above`);
  return cache;
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const inNetns = (argv: string[]) => ['nsenter', `--net=${NETNS_PATH}`, '--', ...argv];

/** Starts a long-running process in its own session (it outlives `npm run k8s:up`), logging to logs/<name>.log. */
function daemon(state: State, name: string, argv: string[]): number {
  const logs = path.join(state.stateDir, 'logs');
  const out = fs.openSync(path.join(logs, `${name}.log`), 'w');
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${argv[0]})`);
  state.pids[name] = child.pid;
  saveState(state);
  return child.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function logTail(state: State, name: string): string {
  try {
    return fs
      .readFileSync(path.join(state.stateDir, 'logs', `${name}.log`), 'utf8')
      .split('\n')
      .slice(-15)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/** Throws, with the end of its log, when a process `up` started has exited. */
function checkAlive(state: State): void {
  for (const [name, pid] of Object.entries(state.pids))
    if (!alive(pid))
      throw new Error(
        `local Kubernetes: ${name} exited during start-up; end of ${path.join(state.stateDir, 'logs', `${name}.log`)}:\n${logTail(state, name)}`,
      );
}

async function until<T>(
  what: string,
  state: State,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    checkAlive(state);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `local Kubernetes: ${what} not within ${timeoutMs / 1000} s; logs in ${path.join(state.stateDir, 'logs')}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A GET on the API server through the bridge, as the admin. */
function apiGet(
  state: State,
  pki: Pick<Pki, 'caCert' | 'admin'>,
  urlPath: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: state.bridgePort,
        path: urlPath,
        ca: fs.readFileSync(pki.caCert),
        cert: fs.readFileSync(pki.admin.cert),
        key: fs.readFileSync(pki.admin.key),
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const pkiOf = (dir: string) => ({
  caCert: path.join(dir, 'pki', 'ca.crt'),
  admin: { cert: path.join(dir, 'pki', 'admin.crt'), key: path.join(dir, 'pki', 'admin.key') },
});

async function nodeReady(state: State): Promise<boolean> {
  const r = await apiGet(state, pkiOf(state.stateDir), `/api/v1/nodes/${NODE_NAME}`).catch(() => undefined);
  if (r?.status !== 200) return false;
  const node = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } };
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

async function freeLocalPort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}

/**
 * Brings the cluster up (building what is missing first) and waits until the node is Ready. When a
 * healthy cluster is already up it is reused; a broken or half-stopped one is cleaned away first.
 */
export async function clusterUp(log: Log = defaultLog): Promise<LocalCluster> {
  requireRoot();
  return withUpLock(log, () => upHeld(log));
}

/**
 * Two processes bringing the cluster up at once (the suite's two Kubernetes lanes, each first file)
 * would both build and start it: one does, the other waits and then finds it running. The lock is a
 * folder beside the state folder (down removes that one) naming its holder's pid, so a lock left by
 * a killed process is taken over at once; a cold build holds it for many minutes.
 */
async function withUpLock<T>(log: Log, fn: () => Promise<T>): Promise<T> {
  const lock = `${stateDir()}.up.lock`;
  const owner = path.join(lock, 'pid');
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(fs.readFileSync(owner, 'utf8'));
      } catch {
        // Not written yet, or left unwritten: judged by the folder's age below.
      }
      // Written right after the mkdir: a folder without a pid a second later was left by a killed process.
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Number.isInteger(pid) ? !alive(pid) : Date.now() - since > 1000) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!said) log(`waiting for another process to bring the cluster up (${lock})`);
      said = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function upHeld(log: Log): Promise<LocalCluster> {
  const socket = path.join(stateDir(), 'containerd', 'containerd.sock');
  if (Buffer.byteLength(socket) > 107)
    throw new Error(
      `the state folder ${stateDir()} is too long: containerd's socket ${socket} would exceed the 107 bytes a Unix socket path may have; set SLUICE_K8S_STATE to a shorter folder`,
    );
  const cache = await build(log);
  // Built before anything starts, so that a failing build leaves no half-started cluster.
  if (operatorEnabled()) await buildOperator();
  const existing = readState();
  if (existing && (await nodeReady(existing))) {
    log('reusing the cluster that is already up');
    await importDefaultFlinkImages(log);
    // A cluster started without the operator (SLUICE_K8S_OPERATOR=0, or by older code) gets it now.
    if (operatorEnabled())
      await withOperatorLock(() => ensureOperator(operatorHost(readState() ?? existing), log));
    return { kubeconfig: existing.kubeconfig, kubectl: existing.kubectl, stateDir: existing.stateDir };
  }
  if (existing || leftovers().length > 0) {
    log('cleaning away what a previous cluster left');
    await clusterDown(log);
  }

  let cluster: LocalCluster;
  try {
    cluster = await start(cache, log);
  } catch (e) {
    // Nothing half-started stays behind; its logs do, for whoever reads the error.
    await clusterDown(() => undefined).catch(() => undefined);
    throw e;
  }
  await importDefaultFlinkImages(log);
  return cluster;
}

async function importDefaultFlinkImages(log: Log): Promise<void> {
  for (const version of defaultFlinkImageVersions()) await ensureFlinkImage(version, log);
}

/**
 * Makes the image of a Flink version (`1.20.3`, or an engine's `1.20`) that behaves as the official
 * `flink:<v>-java17` available to the running cluster's pods under that name (kubelet asks containerd
 * for `docker.io/library/flink:<v>-java17`): built once into the cache, imported when missing. Use it
 * with `imagePullPolicy: Never` (or IfNotPresent): there is no registry. Returns the image's full name.
 */
export async function ensureFlinkImage(version: string, log: Log = defaultLog): Promise<string> {
  requireRoot();
  const state = readState();
  if (!state)
    throw new Error(
      `no local Kubernetes is running (no ${stateFile()}): start it with clusterUp() or npm run k8s:up`,
    );
  return importFlinkImage(path.join(state.stateDir, 'containerd', 'containerd.sock'), version, log);
}

async function start(cache: string, log: Log): Promise<LocalCluster> {
  const started = Date.now();
  const dir = stateDir();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ['logs', 'etcd', 'kubelet', 'pod-logs', 'cni/net.d', 'cni/ipam', 'containerd', 'sysctl'])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const bin = path.join(cache, 'bin');
  const state: State = {
    stateDir: dir,
    bin,
    kubeconfig: path.join(dir, 'kubeconfig'),
    kubectl: path.join(bin, 'kubectl'),
    bridgePort: await freeLocalPort(16443),
    pids: {},
    createdHostDirs: HOST_DIRS.filter((d) => !fs.existsSync(d)),
  };
  saveState(state);

  // The network namespace: loopback plus a veth pair with both ends inside (this kernel has no
  // `dummy` links, and kubelet needs a node IP that is not loopback).
  sh('ip', ['netns', 'add', NETNS]);
  const ipn = (...args: string[]) => sh('ip', ['netns', 'exec', NETNS, 'ip', ...args]);
  ipn('link', 'set', 'lo', 'up');
  ipn('link', 'add', 'sk-node', 'type', 'veth', 'peer', 'name', 'sk-peer');
  ipn('addr', 'add', `${NODE_IP}/24`, 'dev', 'sk-node');
  ipn('addr', 'add', `${PEER_IP}/24`, 'dev', 'sk-peer');
  ipn('link', 'set', 'sk-node', 'up');
  ipn('link', 'set', 'sk-peer', 'up');
  // A default route, so that components picking "the host's address" find the node IP.
  ipn('route', 'add', 'default', 'dev', 'sk-node');

  makeCgroupRoot();

  log('making certificates');
  const pki = makePki(path.join(dir, 'pki'), {
    nodeName: NODE_NAME,
    nodeIp: NODE_IP,
    firstServiceIp: FIRST_SERVICE_IP,
  });
  const inside = 'https://127.0.0.1:6443';
  const kubeconfigFor = (name: string, user: string, cert: Pki['admin']) => {
    const file = path.join(dir, `${name}.kubeconfig`);
    writeKubeconfig(file, { server: inside, caCert: pki.caCert, user, cert });
    return file;
  };
  writeKubeconfig(state.kubeconfig, {
    server: `https://127.0.0.1:${state.bridgePort}`,
    caCert: pki.caCert,
    user: 'sluice-admin',
    cert: pki.admin,
  });

  log('starting etcd and the control plane');
  daemon(
    state,
    'etcd',
    inNetns([
      path.join(bin, 'etcd'),
      '--name=default',
      `--data-dir=${path.join(dir, 'etcd')}`,
      '--listen-client-urls=http://127.0.0.1:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=default=http://127.0.0.1:2380',
      // A throwaway cluster on a shared machine: no fsync per write.
      '--unsafe-no-fsync',
    ]),
  );
  daemon(
    state,
    'kube-apiserver',
    inNetns([
      path.join(bin, 'kube-apiserver'),
      '--etcd-servers=http://127.0.0.1:2379',
      '--secure-port=6443',
      `--advertise-address=${NODE_IP}`,
      `--tls-cert-file=${pki.apiserver.cert}`,
      `--tls-private-key-file=${pki.apiserver.key}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      `--kubelet-client-certificate=${pki.apiserverKubeletClient.cert}`,
      `--kubelet-client-key=${pki.apiserverKubeletClient.key}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--enable-priority-and-fairness=false',
    ]),
  );
  // The host's way in: each connection to 127.0.0.1:<bridgePort> is relayed into the namespace.
  const tunnel = path.join(dir, 'apiserver-tunnel.sh');
  fs.writeFileSync(
    tunnel,
    `#!/bin/sh\nexec nsenter --net=${NETNS_PATH} -- socat STDIO TCP:127.0.0.1:6443\n`,
    { mode: 0o755 },
  );
  daemon(state, 'apiserver-bridge', [
    'socat',
    `TCP-LISTEN:${state.bridgePort},bind=127.0.0.1,fork,reuseaddr`,
    `EXEC:${tunnel}`,
  ]);
  await until('the API server ready', state, 120_000, async () => {
    const r = await apiGet(state, pki, '/readyz');
    return r.status === 200 ? true : undefined;
  });
  log(`API server ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  daemon(
    state,
    'kube-controller-manager',
    inNetns([
      path.join(bin, 'kube-controller-manager'),
      `--kubeconfig=${kubeconfigFor('controller-manager', 'system:kube-controller-manager', pki.controllerManager)}`,
      '--bind-address=127.0.0.1',
      '--use-service-account-credentials=true',
      `--cluster-signing-cert-file=${pki.caCert}`,
      `--cluster-signing-key-file=${pki.caKey}`,
      `--root-ca-file=${pki.caCert}`,
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--cluster-cidr=${POD_CIDR}`,
      '--allocate-node-cidrs=false',
      '--leader-elect=false',
      '--controllers=*,-cloud-node-lifecycle',
    ]),
  );
  daemon(
    state,
    'kube-scheduler',
    inNetns([
      path.join(bin, 'kube-scheduler'),
      `--kubeconfig=${kubeconfigFor('scheduler', 'system:kube-scheduler', pki.scheduler)}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
    ]),
  );

  log('starting containerd and kubelet');
  startNode(state, cache, pki, kubeconfigFor('kubelet', `system:node:${NODE_NAME}`, pki.kubelet));

  const proxyConfig = path.join(dir, 'kube-proxy.yaml');
  fs.writeFileSync(
    proxyConfig,
    [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
      'kind: KubeProxyConfiguration',
      'clientConnection:',
      `  kubeconfig: ${kubeconfigFor('kube-proxy', 'system:kube-proxy', pki.kubeProxy)}`,
      'mode: iptables',
      `clusterCIDR: ${POD_CIDR}`,
      `hostnameOverride: ${NODE_NAME}`,
      'healthzBindAddress: 127.0.0.1:10256',
      'metricsBindAddress: 127.0.0.1:10249',
      // Pods of one bridge reach each other's Service without br_netfilter seeing the reply: masquerading
      // sends the reply back through the node, where the NAT is undone.
      'iptables:',
      '  masqueradeAll: true',
      // Zero leaves the machine-wide conntrack settings alone.
      'conntrack:',
      '  maxPerCore: 0',
      '  min: 0',
      '  tcpEstablishedTimeout: 0s',
      '  tcpCloseWaitTimeout: 0s',
      '',
    ].join('\n'),
  );
  daemon(state, 'kube-proxy', inNetns([path.join(bin, 'kube-proxy'), `--config=${proxyConfig}`]));

  await until('the node Ready', state, 180_000, async () => ((await nodeReady(state)) ? true : undefined));
  log(`node ${NODE_NAME} Ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Pods are refused in a namespace until the controller-manager has made its default ServiceAccount:
  // wait for the one of `default`, so a script's first `kubectl run` after up works.
  await until('the default ServiceAccount', state, 60_000, async () => {
    const r = await apiGet(state, pki, '/api/v1/namespaces/default/serviceaccounts/default');
    return r.status === 200 ? true : undefined;
  });
  if (operatorEnabled()) await withOperatorLock(() => ensureOperator(operatorHost(state), log));
  return { kubeconfig: state.kubeconfig, kubectl: state.kubectl, stateDir: dir };
}

/**
 * What the operator (operator.ts) needs from the cluster: an admin kubeconfig for inside the network
 * namespace, and the supervision of `up`, so that `down` stops it and `leftovers` sees it.
 */
function operatorHost(state: State): OperatorHost {
  // An operator that died (or was stopped) since is started again, not reported as failing to start.
  for (const name of [OPERATOR_PROCESS, SERVICE_HOSTS_PROCESS]) {
    const pid = state.pids[name];
    if (pid !== undefined && !alive(pid)) delete state.pids[name];
  }
  const insideKubeconfig = path.join(state.stateDir, 'admin-inside.kubeconfig');
  if (!fs.existsSync(insideKubeconfig)) {
    const pki = pkiOf(state.stateDir);
    writeKubeconfig(insideKubeconfig, {
      server: 'https://127.0.0.1:6443',
      caCert: pki.caCert,
      user: 'sluice-admin',
      cert: pki.admin,
    });
  }
  return {
    stateDir: state.stateDir,
    kubectl: state.kubectl,
    kubeconfig: state.kubeconfig,
    insideKubeconfig,
    inNetns,
    daemon: (name, argv) => daemon(state, name, argv),
    running: (name) => state.pids[name] !== undefined && alive(state.pids[name]),
    until: (what, timeoutMs, probe) => until(what, state, timeoutMs, probe),
  };
}

/**
 * Several test runs may find the same cluster without an operator at once: one starts it, the others
 * wait for it and then find it running (the state file is re-read inside the lock).
 */
async function withOperatorLock(fn: () => Promise<void>): Promise<void> {
  const lock = path.join(stateDir(), 'flink-operator.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than any start-up is left from a killed run.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(`local Kubernetes: ${lock} held for 10 minutes; remove it if no k8s:up runs`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The kubelet's cgroupRoot must exist in every controller before it starts (kind does the same). */
function makeCgroupRoot(): void {
  for (const controller of fs.readdirSync(CGROUP_FS)) {
    const parent = path.join(CGROUP_FS, controller);
    if (!fs.statSync(parent).isDirectory() || fs.lstatSync(parent).isSymbolicLink()) continue;
    const dir = path.join(parent, CGROUP_ROOT);
    fs.mkdirSync(dir, { recursive: true });
    // A new cpuset has no CPUs and no memory nodes until given its parent's.
    for (const f of ['cpuset.cpus', 'cpuset.mems'])
      if (fs.existsSync(path.join(parent, f)))
        fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(parent, f), 'utf8').trim() || '0');
  }
}

function startNode(state: State, cache: string, pki: Pki, kubeletKubeconfig: string): void {
  const dir = state.stateDir;
  const sock = path.join(dir, 'containerd', 'containerd.sock');
  fs.writeFileSync(
    path.join(dir, 'cni', 'net.d', '10-sluice.conflist'),
    JSON.stringify(
      {
        cniVersion: '1.0.0',
        name: 'sluice',
        plugins: [
          {
            type: 'bridge',
            bridge: 'cni0',
            isGateway: true,
            ipMasq: true,
            hairpinMode: true,
            ipam: {
              type: 'host-local',
              dataDir: path.join(dir, 'cni', 'ipam'),
              ranges: [[{ subnet: POD_CIDR }]],
              routes: [{ dst: '0.0.0.0/0' }],
            },
          },
          { type: 'portmap', capabilities: { portMappings: true } },
        ],
      },
      null,
      2,
    ),
  );
  // Every container's JVMs (Flink's JobManagers and TaskManagers, `flink` in a pod) compile with C1 only:
  // on this 2-core machine C2's compiler threads took a third to two fifths of a JobManager's CPU until
  // its REST port answered. Set in containerd's base OCI
  // spec (its own default, from `ctr oci spec`, plus this variable; a pod's and its image's variables
  // are added to it), so that no pod, manifest or image the tests look at differs.
  const baseSpec = JSON.parse(execFileSync('ctr', ['oci', 'spec'], { encoding: 'utf8' })) as {
    process: { env?: string[] };
  };
  baseSpec.process.env = [...(baseSpec.process.env ?? []), 'JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1'];
  const baseSpecFile = path.join(dir, 'containerd', 'base-spec.json');
  fs.writeFileSync(baseSpecFile, JSON.stringify(baseSpec, null, 2));
  const containerdConfig = path.join(dir, 'containerd', 'config.toml');
  fs.writeFileSync(
    containerdConfig,
    `version = 2
root = "${dir}/containerd/root"
state = "${dir}/containerd/state"
[grpc]
  address = "${sock}"
[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  # This container lacks CAP_SYS_RESOURCE: without this every pod fails in runc ("can't get final
  # child's PID from pipe: EOF", really "failed to update /proc/self/oom_score_adj: Permission denied").
  restrict_oom_score_adj = true
  # Pods' network namespaces under the state folder: in /run/netns they would leave empty files behind
  # on the host (the bind mounts are private to the node's mount namespace, the files are not).
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      base_runtime_spec = "${baseSpecFile}"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${dir}/cni/net.d"
`,
  );
  const kubeletConfig = path.join(dir, 'kubelet.yaml');
  fs.writeFileSync(
    kubeletConfig,
    [
      'apiVersion: kubelet.config.k8s.io/v1beta1',
      'kind: KubeletConfiguration',
      `address: ${NODE_IP}`,
      'readOnlyPort: 0',
      'authentication:',
      '  anonymous: {enabled: false}',
      '  webhook: {enabled: true}',
      `  x509: {clientCAFile: ${pki.caCert}}`,
      'authorization: {mode: Webhook}',
      `tlsCertFile: ${pki.kubeletServing.cert}`,
      `tlsPrivateKeyFile: ${pki.kubeletServing.key}`,
      'cgroupDriver: cgroupfs',
      `cgroupRoot: /${CGROUP_ROOT}`,
      // This machine has cgroup v1, which kubelet 1.34 refuses unless told otherwise.
      'failCgroupV1: false',
      'failSwapOn: false',
      `containerRuntimeEndpoint: unix://${sock}`,
      `podLogsDir: ${dir}/pod-logs`,
      // A shared disk that is fuller than kubelet likes must not evict the test pods...
      'evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}',
      // ...nor may image GC remove the imported images: they cannot be pulled again.
      'imageGCHighThresholdPercent: 100',
      'imageGCLowThresholdPercent: 99',
      'maxPods: 50',
      '',
    ].join('\n'),
  );
  // kubelet sets vm.overcommit_memory, vm.panic_on_oom, kernel.panic, kernel.panic_on_oops and the
  // kernel keys limits for the whole machine. containerd and kubelet share one private mount namespace
  // (kubelet's volume mounts must be visible to containerd), where each of those /proc/sys files is
  // covered by a file already holding kubelet's value: it has nothing to write.
  const sysctls: Record<string, string> = {
    'vm/overcommit_memory': '1',
    'vm/panic_on_oom': '0',
    'kernel/panic': '10',
    'kernel/panic_on_oops': '1',
    'kernel/keys/root_maxkeys': '1000000',
    'kernel/keys/root_maxbytes': '25000000',
  };
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    'set -eu',
    ...Object.entries(sysctls).map(([key, value]) => {
      const file = path.join(dir, 'sysctl', key.replace(/\//g, '.'));
      fs.writeFileSync(file, `${value}\n`);
      return `mount --bind ${q(file)} /proc/sys/${key}`;
    }),
    `containerd --config ${q(containerdConfig)} >${q(path.join(dir, 'logs', 'containerd.log'))} 2>&1 &`,
    `echo $! >${q(path.join(dir, 'containerd', 'pid'))}`,
    'i=0',
    `until ctr --address ${q(sock)} version >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 150 ] || { echo "containerd did not answer on ${sock}" >&2; exit 1; }; sleep 0.2; done`,
    // There is no registry: the pause image and the test image come from archives build.sh made.
    `for img in ${q(path.join(cache, 'images'))}/*.tar; do ctr --address ${q(sock)} -n k8s.io images import "$img" >/dev/null; done`,
    [
      'exec',
      path.join(state.bin, 'kubelet'),
      `--config=${kubeletConfig}`,
      `--kubeconfig=${kubeletKubeconfig}`,
      `--root-dir=${dir}/kubelet`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
    ]
      .map((a, i) => (i === 0 ? a : q(a)))
      .join(' '),
  ].join('\n');
  daemon(
    state,
    'kubelet',
    inNetns(['unshare', '--mount', '--propagation', 'private', '--', 'bash', '-c', script]),
  );
}

/** Processes, mounts, cgroups and network namespaces of the local cluster that still exist. */
export function leftovers(): string[] {
  const found: string[] = [];
  for (const p of clusterProcesses()) found.push(`process ${p.pid}: ${p.cmdline}`);
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n'))
    if (line.includes(stateDir()) || line.includes(NETNS_PATH)) found.push(`mount: ${line.split(' ')[4]}`);
  for (const dir of cgroupDirs()) found.push(`cgroup: ${dir}`);
  if (
    fs.existsSync(NETNS_PATH) ||
    sh('ip', ['netns', 'list'])
      .split('\n')
      .some((l) => l.split(' ')[0] === NETNS)
  )
    found.push(`network namespace: ${NETNS}`);
  return found;
}

/** The node's files in the host folders (HOST_DIRS) that name this cluster. */
function hostFiles(): string[] {
  const files: string[] = [];
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : []);
  for (const link of list('/var/log/containers'))
    if (fs.lstatSync(link).isSymbolicLink() && fs.readlinkSync(link).startsWith(stateDir())) files.push(link);
  // libcni keeps results per network name ("sluice", from the CNI config written by `up`).
  for (const f of list('/var/lib/cni/results')) if (path.basename(f).startsWith('sluice-')) files.push(f);
  return files;
}

function cgroupDirs(): string[] {
  const dirs: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(dir, e.name));
    dirs.push(dir); // children first, so they can be removed in this order
  };
  for (const controller of fs.existsSync(CGROUP_FS) ? fs.readdirSync(CGROUP_FS) : []) {
    const root = path.join(CGROUP_FS, controller, CGROUP_ROOT);
    if (fs.existsSync(root)) walk(root);
  }
  return dirs;
}

/**
 * The cluster's processes: those in its network namespace (control plane, containerd, kubelet, shims),
 * those in its cgroups (the pods' containers), and the host-side socat bridge (found by its command).
 */
function clusterProcesses(): { pid: number; cmdline: string }[] {
  let netnsLink: string | undefined;
  try {
    netnsLink = `net:[${fs.statSync(NETNS_PATH).ino}]`;
  } catch {
    netnsLink = undefined;
  }
  const inCgroups = new Set<number>();
  for (const dir of cgroupDirs())
    for (const pid of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n'))
      if (pid) inCgroups.add(Number(pid));
  const bridgeMark = path.join(stateDir(), 'apiserver-tunnel.sh');
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const ours =
        inCgroups.has(pid) ||
        (netnsLink !== undefined && fs.readlinkSync(`/proc/${pid}/ns/net`) === netnsLink) ||
        (cmdline.startsWith('socat ') && cmdline.includes(bridgeMark));
      if (ours)
        found.push({ pid, cmdline: cmdline || `(${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()})` });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The sockets of the containerd shims (under /run/containerd/s), as each task's `address` file names them. */
function shimSockets(): string[] {
  const tasks = path.join(stateDir(), 'containerd', 'state', 'io.containerd.runtime.v2.task');
  const sockets: string[] = [];
  for (const ns of fs.existsSync(tasks) ? fs.readdirSync(tasks) : [])
    for (const id of fs.readdirSync(path.join(tasks, ns)))
      try {
        sockets.push(
          fs
            .readFileSync(path.join(tasks, ns, id, 'address'), 'utf8')
            .trim()
            .replace(/^unix:\/\//, ''),
        );
      } catch {
        // no address file
      }
  return sockets;
}

/**
 * Stops everything `up` started: kills the cluster's processes (SIGTERM, then SIGKILL), removes its
 * cgroups and network namespace (the mounts of containerd and kubelet vanish with their private mount
 * namespace), deletes the state except the logs, and checks that nothing is left. Throws, listing
 * them, when something is.
 */
export async function clusterDown(log: Log = defaultLog): Promise<void> {
  requireRoot();
  const state = readState();
  const wasRunning = state !== undefined || leftovers().length > 0;
  // kubelet first, so it starts nothing new while the rest goes.
  for (const name of ['kubelet', ...Object.keys(state?.pids ?? {})]) {
    const pid = state?.pids[name];
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGTERM');
  }
  // A throwaway cluster: a short grace period, then SIGKILL (a container's PID 1 ignores SIGTERM).
  const killAt = Date.now() + 3_000;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const procs = clusterProcesses();
    if (procs.length === 0 || Date.now() > deadline) break;
    const signal: NodeJS.Signals = Date.now() > killAt ? 'SIGKILL' : 'SIGTERM';
    for (const p of procs)
      try {
        process.kill(p.pid, signal);
      } catch {
        // gone meanwhile
      }
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[4];
    if (mountPoint?.startsWith(stateDir())) spawnSync('umount', ['-l', mountPoint]);
  }
  for (const dir of cgroupDirs())
    for (let i = 0; i < 20; i++) {
      try {
        fs.rmdirSync(dir);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200)); // a just-killed process may still be leaving it
      }
    }
  if (fs.existsSync(NETNS_PATH)) spawnSync('ip', ['netns', 'delete', NETNS]);
  for (const file of hostFiles()) fs.rmSync(file, { force: true });
  for (const socket of shimSockets()) fs.rmSync(socket, { force: true });
  for (const d of state?.createdHostDirs ?? []) fs.rmSync(d, { recursive: true, force: true });
  const dir = stateDir();
  if (fs.existsSync(dir))
    for (const e of fs.readdirSync(dir))
      if (e !== 'logs') fs.rmSync(path.join(dir, e), { recursive: true, force: true });

  const left = leftovers();
  if (left.length > 0)
    throw new Error(
      `local Kubernetes: down left these behind (stop or remove them by hand):\n  ${left.join('\n  ')}`,
    );
  log(
    wasRunning
      ? `stopped: no process, mount, cgroup or network namespace left (logs kept in ${path.join(dir, 'logs')})`
      : 'nothing was running, and no process, mount, cgroup or network namespace of it is left',
  );
}
