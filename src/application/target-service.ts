import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readableSchemes } from '../domain/engines/file-systems.ts';
import {
  checkLocalClusterSpec,
  defaultClusterName,
  portCollision,
  portsBeside,
  type LocalClusterSpec,
} from '../domain/clusters/local-cluster-spec.ts';
import { howToAddCatalogType, type CatalogTypes } from '../domain/engines/catalog-types.ts';
import { engineKey } from '../domain/engines/engine.ts';
import { codedOf, SluiceError, invalid, notFound, saidBy } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import type { KubernetesClusterView } from '../domain/targets/kubernetes-cluster-view.ts';
import {
  flinkClusterResources,
  flinkTotals,
  flinkWaiting,
  kubernetesWaiting,
  unreadCluster,
  type TargetResources,
} from '../domain/targets/target-resources.ts';
import {
  workbenchOf,
  type DeploymentTarget,
  type SqlWorkbench,
} from '../domain/targets/deployment-target.ts';
import type { FlinkMetricsEndpoint, FlinkProcessRole } from '../domain/metrics/scrape-targets.ts';
import type {
  ApplicationTarget,
  ClusterProcessStatus,
  ClusterRuntime,
  LocalClusterProcesses,
  LocalClusterStatus,
} from './ports/clusters.ts';
import type {
  ClusterEvent,
  KubernetesTargetRecord,
  MetadataStore,
  RemoteClusterSpec,
  StoredTargetRecord,
} from './ports/store.ts';
import {
  sessionControlOf,
  type KubernetesCheck,
  type KubernetesCheckName,
  type KubernetesRuntime,
  type KubernetesSessionControl,
} from './ports/kubernetes.ts';
import type { SluiceConfig } from './config.ts';
import type { EngineService } from './engine-service.ts';
import type { Progress } from './operations.ts';
import {
  kubernetesKindOf,
  kubernetesTargetSpecOf,
  type KubernetesTargetInput,
  type KubernetesTargetSpec,
} from '../domain/targets/kubernetes-target.ts';
import {
  defaultTargetOf,
  engineOfLocalApplicationTarget,
  localApplicationTargetName,
  targetKind,
  targetKindOfWire,
  type TargetKindName,
} from '../domain/targets/target-kinds.ts';

/** A local application target: one per installed engine, never stored (see target-kinds.ts). */
type ApplicationRecord = {
  name: string;
  kind: 'application';
  spec: { name: string; engineVersion: string };
  createdAt: string;
};
type TargetRecord = StoredTargetRecord | ApplicationRecord;

export type SessionTargetDefinition = Partial<Omit<LocalClusterSpec, 'name'>> & { name: string };

/** What a list says of a Kubernetes target: where it is, how it runs jobs, and its cluster's checks now. */
export interface KubernetesTargetView {
  spec: KubernetesTargetSpec;
  /** The API server's address; null when the kubeconfig could not be read. */
  server: string | null;
  /** The kubeconfig context; null in-cluster. */
  context: string | null;
  serverVersion: string | null;
  user: string | null;
  checks: KubernetesCheck['results'];
  operatorCrds: KubernetesCheck['operatorCrds'];
  /** When the checks were made (a list reuses them for a few seconds). */
  checkedAt: string;
}

/**
 * A row of `sluice target list`: local session targets with their processes, remote ones with their
 * REST health, Kubernetes ones with their cluster's checks (ok, degraded: a check fails, unreachable).
 */
export type TargetView = Omit<LocalClusterStatus, 'state'> & {
  state: LocalClusterStatus['state'] | 'unreachable' | 'ok';
  kind: 'local' | 'remote' | 'application' | 'kubernetes';
  /** A Kubernetes target's spec and health. */
  kubernetes?: KubernetesTargetView;
  /** The deployment target's kind in the registry's words (`local-session`, `remote-session`, `local-application`). */
  targetKind: TargetKindName;
  /** The engine a job on this target must name (the Flink minor version, as in `engineVersion` of a job). */
  engineVersion: string;
  problem?: string;
  /** The same as a message code with parameters, for a client to say in its language. */
  problemMessage?: Message;
};

/**
 * Deployment targets. Local session targets: their session cluster's definition in the store, its
 * processes supervised here. Remote session targets: any Flink reachable over REST (and optionally its
 * SQL Gateway), registered by address. Local application targets: one per engine, never stored.
 */
export class TargetService<C extends LocalClusterProcesses = LocalClusterProcesses> {
  private readonly live = new Map<string, C>();
  private readonly applicationTargets = new Map<string, ApplicationTarget>();
  /** The DeploymentTarget of each Kubernetes target, made again when its spec changes. */
  private readonly kubernetesTargets = new Map<string, { spec: string; target: DeploymentTarget }>();
  /** The latest checks of each Kubernetes target: a list within a few seconds reuses them. */
  private readonly kubernetesHealth = new Map<
    string,
    { spec: string; at: number; check: Promise<KubernetesCheck> }
  >();

  constructor(
    private readonly store: MetadataStore,
    private readonly runtime: ClusterRuntime<C>,
    private readonly engines: EngineService,
    private readonly config: SluiceConfig,
    private readonly log: (msg: string) => void = () => {},
    /**
     * Loads the Kubernetes client on first use: a platform without Kubernetes targets (most tests, a
     * laptop's server) never pays for importing it.
     */
    private readonly loadKubernetes: (() => Promise<KubernetesRuntime>) | null = null,
  ) {}

  private kubernetes: Promise<KubernetesRuntime> | null = null;

  /** The folders of local targets whose processes another owner started (`attach`). */
  private readonly attachedRoots = new Map<string, string>();

  private root(name: string): string {
    return this.attachedRoots.get(name) ?? path.join(this.config.home, 'clusters', name);
  }

  private async record(name: string): Promise<TargetRecord> {
    const rec = await this.store.targets.get(name);
    if (rec) return rec;
    const engine = engineOfLocalApplicationTarget(name);
    const installed = engine ? await this.store.engines.get(engine) : undefined;
    if (installed) return applicationRecord(installed.version, installed.installedAt);
    throw notFound('target', name, message('target.notFound', { target: name }));
  }

  /** The local application targets: one per installed engine. */
  private async applicationRecords(): Promise<ApplicationRecord[]> {
    return (await this.store.engines.list()).map((e) => applicationRecord(e.version, e.installedAt));
  }

  private refuseApplicationName(name: string): void {
    if (engineOfLocalApplicationTarget(name) !== null)
      throw invalid('name', message('target.applicationName', { target: name }));
  }

  /** The target of an engine whose jobs each run in a cluster of their own, made once per platform. */
  private async applicationTarget(rec: ApplicationRecord): Promise<ApplicationTarget> {
    const known = this.applicationTargets.get(rec.name);
    if (known) return known;
    // Explain, debug runs and catalogs of these jobs use the engine's session cluster, started on demand.
    const workbench: SqlWorkbench = {
      openSqlSession: async (sessionName, options) => {
        const session = await this.target(await this.defineDefault(rec.spec.engineVersion));
        await session.prepare(() => {});
        return workbenchOf(session).openSqlSession(sessionName, options);
      },
    };
    const t = this.runtime.applicationTarget({
      name: rec.name,
      distribution: () => this.engines.distribution(rec.spec.engineVersion),
      root: path.join(this.config.home, 'applications', rec.name),
      sluiceHome: this.config.home,
      mavenLocalRepository: this.config.mavenLocalRepository,
      mavenMirror: this.config.mavenMirror,
      logRetention: this.config.logRetention,
      onEvent: (jobName) => (processId, kind, detail) => {
        this.log(`target ${rec.name}: job ${jobName}: ${processId} ${kind}: ${detail}`);
        void this.store.targets
          .recordEvent(rec.name, `${jobName}/${processId}`, kind, detail)
          .catch(() => undefined);
      },
      workbench,
    });
    this.applicationTargets.set(rec.name, t);
    return t;
  }

  /** The registry's kind of a deployment target, by its name. */
  /** Called once a stored target is removed (its quota goes with it). */
  onRemoved: (name: string) => Promise<void> = async () => {};

  async targetKindOf(name: string): Promise<TargetKindName> {
    return kindOfRecord(await this.record(name));
  }

  /** The Kubernetes client, loaded on first use (a failed load is tried again at the next). */
  kubernetesRuntime(): Promise<KubernetesRuntime> {
    if (!this.loadKubernetes)
      return Promise.reject(
        new SluiceError(
          'internal',
          message('platform.unexpected', { detail: 'no Kubernetes client in this platform' }),
        ),
      );
    // A failed load is not kept: the next use tries again.
    this.kubernetes ??= this.loadKubernetes().catch((e: unknown) => {
      this.kubernetes = null;
      throw e;
    });
    return this.kubernetes;
  }

  /**
   * Registers (or changes) a Kubernetes target: one cluster and namespace, one way to run jobs. Its
   * cluster is checked first (API reachable, namespace, permissions, the operator's CRDs); a failing
   * check stores nothing and says which check, where, and how to fix it.
   */
  async registerKubernetes(
    input: Omit<KubernetesTargetInput, 'engineVersion'> & { engineVersion?: string | null },
    /** Where a new target goes (default `default`); a registered one stays in its space. */
    space?: string | null,
  ): Promise<{ spec: KubernetesTargetSpec; check: KubernetesCheck }> {
    this.refuseApplicationName(input.name);
    const found = await this.store.targets.get(input.name);
    if (found?.kind === 'local')
      throw new SluiceError('conflict', message('target.isLocal', { target: input.name }));
    if (found?.kind === 'remote')
      throw new SluiceError('conflict', message('target.isRemote', { target: input.name }));
    const engine = await this.engines.get(engineKey(input.engineVersion || this.config.defaultEngineVersion));
    const spec = kubernetesTargetSpecOf({ ...input, engineVersion: engine.version }, engine.flinkVersion);
    // The pods fetch by presigned URLs of the server's own bucket: without one there is nothing to sign.
    if (spec.artifactsFrom === 's3' && this.config.artifactStorage.kind !== 's3')
      throw invalid(
        'artifactsFrom',
        message('kubernetes.noS3ArtifactStorage', {
          target: spec.name,
          where: path.join(this.config.home, 'artifacts'),
        }),
      );
    // A running session cluster was made from the stored spec: changed under it, the target would show
    // sizes, an image or a namespace the cluster does not have (and a stop would look in the new namespace).
    if (found?.kind === 'kubernetes' && found.spec.session && canonical(found.spec) !== canonical(spec)) {
      const { state } = await (await this.sessionOf(found)).status();
      if (state !== 'stopped')
        throw new SluiceError(
          'precondition_failed',
          message('kubernetes.sessionChangeRunning', { target: spec.name, state }),
          { target: spec.name, state },
        );
    }
    const check = await (await this.kubernetesRuntime()).check(spec, { registering: true });
    const failed = check.results.find((r) => !r.ok);
    if (failed)
      throw new SluiceError(
        'invalid_argument',
        message('kubernetes.refusedTarget', { target: spec.name, problem: failed.problem ?? failed.detail }),
        { field: FIELD_OF_CHECK[failed.name], check: failed.name, checks: check.results },
      );
    await this.store.targets.save(spec, 'kubernetes', space ?? undefined);
    this.kubernetesHealth.set(spec.name, {
      spec: JSON.stringify(spec),
      at: Date.now(),
      check: Promise.resolve(check),
    });
    return { spec, check };
  }

  /**
   * Removes a stored target: refused while a job names it (its jobs would lose where they run) and
   * while a local session cluster of it runs. A local application target is an engine's, not removable.
   */
  async remove(name: string): Promise<void> {
    const rec = await this.record(name);
    if (rec.kind === 'application')
      throw new SluiceError('precondition_failed', message('target.isApplication', { target: name }));
    const jobs = (await this.store.jobs.list()).filter((j) => j.target === name).map((j) => j.name);
    if (jobs.length)
      throw new SluiceError('conflict', message('target.inUse', { target: name, jobs: jobs.join(', ') }), {
        jobs,
      });
    if (rec.kind === 'local' && (await (await this.cluster(name)).status()).state !== 'stopped')
      throw new SluiceError('precondition_failed', message('target.removeRunning', { target: name }));
    // A Kubernetes session cluster would be left in its namespace with nobody to stop it.
    if (rec.kind === 'kubernetes' && rec.spec.session) {
      const session = await this.sessionOf(rec);
      if ((await session.status()).state !== 'stopped')
        throw new SluiceError(
          'precondition_failed',
          message('kubernetes.sessionRemoveRunning', { target: name }),
        );
    }
    await this.store.targets.remove(name);
    await this.onRemoved(name);
    this.live.delete(name);
    this.kubernetesTargets.delete(name);
    this.kubernetesHealth.delete(name);
  }

  /** The checks of a Kubernetes target's cluster, made again when older than a few seconds. */
  private kubernetesCheck(rec: KubernetesTargetRecord): Promise<KubernetesCheck> {
    const key = JSON.stringify(rec.spec);
    const known = this.kubernetesHealth.get(rec.name);
    if (known && known.spec === key && Date.now() - known.at < HEALTH_REUSE_MS) return known.check;
    const check = this.kubernetesRuntime().then((k) => k.check(rec.spec));
    this.kubernetesHealth.set(rec.name, { spec: key, at: Date.now(), check });
    return check;
  }

  /** The deployment target of a Kubernetes target: its mode's deployer (the runtime's seam). */
  private async kubernetesTarget(rec: KubernetesTargetRecord): Promise<DeploymentTarget> {
    const key = JSON.stringify(rec.spec);
    const known = this.kubernetesTargets.get(rec.name);
    if (known?.spec === key) return known.target;
    const runtime = await this.kubernetesRuntime();
    // Made by whoever got here first while the client loaded.
    const made = this.kubernetesTargets.get(rec.name);
    if (made?.spec === key) return made.target;
    const engineVersion = rec.spec.engineVersion;
    // A target stays in the space it was made in (nothing moves one), so the made target is kept by its spec.
    const space = (await this.store.spaces.spaceOf('target', rec.name)) ?? DEFAULT_SPACE;
    const target = runtime.target(rec.spec, {
      distribution: () => this.engines.distribution(engineVersion),
      sluiceHome: this.config.home,
      space,
      onEvent: (jobName) => (objectId, kind, detail) => {
        this.log(`target ${rec.name}: job ${jobName}: ${objectId} ${kind}: ${detail}`);
        void this.store.targets
          .recordEvent(rec.name, `${jobName}/${objectId}`, kind, detail)
          .catch(() => undefined);
      },
      // Explain, debug runs and catalogs of its jobs use the engine's local session cluster, as for local application targets.
      workbench: {
        openSqlSession: async (sessionName, options) => {
          const session = await this.target(await this.defineDefault(engineVersion));
          await session.prepare(() => {});
          return workbenchOf(session).openSqlSession(sessionName, options);
        },
      },
    });
    this.kubernetesTargets.set(rec.name, { spec: key, target });
    return target;
  }

  /**
   * Creates or updates a local cluster definition; a running cluster keeps its settings until restarted.
   * `implicit`: the default cluster Sluice defines by itself, whose ports are asked of the machine when
   * it starts rather than now (nobody chose them).
   */
  async define(
    def: SessionTargetDefinition,
    /** `space`: where a new target goes (default `default`); a defined one stays in its space. */
    opts: { implicit?: boolean; space?: string | null } = {},
  ): Promise<LocalClusterSpec> {
    const existing = await this.localDefinition(def.name);
    const engineVersion = engineKey(
      def.engineVersion ?? existing?.engineVersion ?? this.config.defaultEngineVersion,
    );
    await this.engines.get(engineVersion);
    const spec: LocalClusterSpec = {
      ...this.config.clusterDefaults,
      ...existing,
      ...Object.fromEntries(Object.entries(def).filter(([, v]) => v !== undefined)),
      engineVersion,
    } as LocalClusterSpec;
    if (opts.implicit && !existing) {
      const others = (await this.store.targets.list()).flatMap((r) => (r.kind === 'local' ? [r.spec] : []));
      Object.assign(spec, portsBeside(spec, others, this.config.port));
    }
    checkLocalClusterSpec(spec, { memoryBytes: os.totalmem() });
    await this.checkPorts(spec, existing, !opts.implicit);
    await this.store.targets.save(spec, 'local', opts.space ?? undefined);
    return spec;
  }

  /** The stored definition of a local session target of that name, if any; refused for another kind. */
  private async localDefinition(name: string): Promise<LocalClusterSpec | undefined> {
    this.refuseApplicationName(name);
    const found = await this.store.targets.get(name);
    if (found?.kind === 'remote')
      throw new SluiceError('conflict', message('target.isRemote', { target: name }));
    if (found?.kind === 'kubernetes')
      throw new SluiceError('conflict', message('target.isKubernetes', { target: name }));
    return found?.spec;
  }

  /**
   * A definition's ports are its own: no other cluster's, not the API's, and (those it did not have
   * before, which its running processes may hold) not held by another program now.
   */
  private async checkPorts(
    spec: LocalClusterSpec,
    before: LocalClusterSpec | undefined,
    askMachine: boolean,
  ): Promise<void> {
    const others = (await this.store.targets.list()).flatMap((r) => (r.kind === 'local' ? [r.spec] : []));
    const collision = portCollision(spec, others, this.config.port);
    if (collision) throw collision;
    if (!askMachine) return;
    const had = new Set(before ? [before.restPort, before.rpcPort, before.gatewayPort] : []);
    for (const field of ['restPort', 'rpcPort', 'gatewayPort'] as const)
      if (!had.has(spec[field]) && !(await this.runtime.portFree(spec[field])))
        throw new SluiceError(
          'invalid_argument',
          message('cluster.portInUse', { field, port: spec[field] }),
          {
            field,
          },
        );
  }

  /** Registers a session cluster Sluice does not run; it must answer on its REST address now. */
  async registerRemote(spec: RemoteClusterSpec, space?: string | null): Promise<RemoteClusterSpec> {
    this.refuseApplicationName(spec.name);
    const found = await this.store.targets.get(spec.name);
    if (found?.kind === 'local')
      throw new SluiceError('conflict', message('target.isLocal', { target: spec.name }));
    if (found?.kind === 'kubernetes')
      throw new SluiceError('conflict', message('target.isKubernetes', { target: spec.name }));
    for (const [field, url] of [
      ['restUrl', spec.restUrl],
      ['gatewayUrl', spec.gatewayUrl],
    ] as const)
      if (url !== null && !/^https?:\/\/[^\s/]+/.test(url))
        throw invalid(field, message('cluster.badUrl', { url }));
    // The address given is at fault, not the platform: a 400 naming the field, never a 503.
    const overview = await this.runtime.overview(spec.restUrl).catch((e: Error) => {
      throw new SluiceError(
        'invalid_argument',
        message('cluster.noFlinkAt', { url: spec.restUrl, detail: saidBy(e) }),
        { field: 'restUrl' },
      );
    });
    const version = engineKey(overview['flink-version']);
    const normalized = { ...spec, engineVersion: version };
    await this.store.targets.save(normalized, 'remote', space ?? undefined);
    return normalized;
  }

  async spec(name: string): Promise<LocalClusterSpec> {
    const rec = await this.record(name);
    if (rec.kind === 'application')
      throw new SluiceError('precondition_failed', message('target.isApplication', { target: name }));
    if (rec.kind === 'kubernetes')
      throw new SluiceError('precondition_failed', message('target.isKubernetes', { target: name }));
    if (rec.kind !== 'local')
      throw new SluiceError('precondition_failed', message('target.remoteNoProcesses', { target: name }));
    return rec.spec;
  }

  async engineVersionOf(name: string): Promise<string> {
    return (await this.record(name)).spec.engineVersion;
  }

  /**
   * The engine's lib that a job's cluster on the target takes its connectors' jars from (see
   * connector-jars.ts): a Kubernetes target's pods run the image's lib, not the engine's. Null where
   * the cluster runs the engine's own lib (local kinds, remote clusters are their own) or the target's
   * image carries the connectors (`connectorsInImage`).
   */
  async connectorLib(name: string): Promise<string[] | null> {
    const rec = await this.record(name);
    if (rec.kind !== 'kubernetes' || rec.spec.connectorsInImage) return null;
    return (await this.engines.distribution(rec.spec.engineVersion)).classpath;
  }

  /**
   * The path schemes a cluster's engine has a file system for (file, and those of its plugins);
   * unknown (null) for a remote cluster, whose jars Sluice cannot see.
   */
  async readableSchemes(name: string): Promise<Set<string> | null> {
    const rec = await this.record(name);
    if (rec.kind === 'remote') return null;
    const home = (await this.engines.get(rec.spec.engineVersion)).home;
    const jars = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) =>
              e.isDirectory() ? jars(path.join(dir, e.name)) : e.name.endsWith('.jar') ? [e.name] : [],
            )
        : [];
    return readableSchemes([...jars(path.join(home, 'plugins')), ...jars(path.join(home, 'lib'))]);
  }

  /** The catalog types of a cluster's engine; unknown (null) for a remote cluster, whose jars Sluice cannot see. */
  async catalogTypes(name: string): Promise<CatalogTypes> {
    const rec = await this.record(name);
    if (rec.kind === 'remote')
      return {
        engineVersion: rec.spec.engineVersion,
        types: null,
        unreadable: [],
        libDir: null,
        howToAdd: renderMessage(howToAddCatalogType(null)),
        howToAddMessage: howToAddCatalogType(null),
        missing: [],
      };
    return this.engines.catalogTypes(rec.spec.engineVersion);
  }

  /** The process manager for a local cluster, created from its stored definition on first use. */
  async cluster(name: string): Promise<C> {
    await this.runtime.prepareLocalClusters();
    const spec = await this.spec(name);
    const current = this.live.get(name);
    // The engine's lib/ is read again: a connector jar added there counts from the next start on.
    // A cluster already known stays usable (to stop it) even if its engine folder is now broken.
    const dist = await this.engines.distribution(spec.engineVersion).catch((e: unknown) => {
      if (current) return current.dist;
      throw e;
    });
    const same =
      current &&
      JSON.stringify(current.spec) === JSON.stringify(spec) &&
      current.dist.classpath.join(':') === dist.classpath.join(':');
    if (current && same) return current;
    if (current) {
      const s = await current.status();
      if (s.state !== 'stopped') return current; // new settings apply at the next start
    }
    const cluster = this.runtime.localCluster(spec, dist, this.root(name), (processId, kind, detail) => {
      this.log(`cluster ${name}: ${processId} ${kind}: ${detail}`);
      void this.store.targets.recordEvent(name, processId, kind, detail).catch(() => undefined);
    });
    this.live.set(name, cluster);
    return cluster;
  }

  /** Where the cluster's JobManager REST API (and Flink's Web UI) answers. */
  /** Where a local cluster keeps checkpoints (`<dir>/<Flink job id>/chk-N`); null for a remote one. */
  async checkpointDir(name: string): Promise<string | null> {
    const rec = await this.record(name);
    if (rec.kind !== 'local') return null;
    const own =
      rec.spec.flinkConfig['execution.checkpointing.dir'] ?? rec.spec.flinkConfig['state.checkpoints.dir'];
    return own ?? `file://${path.join(this.root(name), 'data', 'checkpoints')}`;
  }

  async restUrlOf(name: string): Promise<string> {
    const rec = await this.record(name);
    if (rec.kind === 'application')
      throw new SluiceError('precondition_failed', message('target.isApplication', { target: name }));
    if (rec.kind === 'kubernetes')
      throw new SluiceError('precondition_failed', message('target.isKubernetes', { target: name }));
    // A local cluster's scheme is that of the doors its processes serve (TLS, or plain HTTP).
    return rec.kind === 'remote' ? rec.spec.restUrl : (await this.cluster(name)).restUrl;
  }

  /** A Kubernetes target's cluster view (pending pods, nodes' requests, its jobs' requests). */
  async kubernetesCluster(name: string): Promise<KubernetesClusterView> {
    const rec = await this.record(name);
    const target = rec.kind === 'kubernetes' ? await this.kubernetesTarget(rec) : null;
    if (!target || !hasClusterView(target))
      throw new SluiceError(
        'precondition_failed',
        message('kubernetes.noClusterView', { target: name, kind: rec.kind }),
      );
    return target.clusterView();
  }

  /**
   * How many pods of a job's run on a Kubernetes target are Pending, from that target's pod watch;
   * null for other targets and where no watch has listed the pods (never made here just to be asked).
   */
  pendingPods(target: string, flinkJobId: string): number | null {
    const made = this.kubernetesTargets.get(target)?.target;
    return made && hasPendingPods(made) ? made.pendingPods(flinkJobId) : null;
  }

  /**
   * What the target has and what its jobs take: Flink's TaskManagers, slots and memory of its session
   * cluster or of each job's own cluster; on Kubernetes the cluster view (requested vs allocatable,
   * Pending pods); and the jobs that wait for resources, with the reason.
   */
  async resources(name: string): Promise<TargetResources> {
    const rec = await this.record(name);
    const targetKind = kindOfRecord(rec);
    const at = new Date().toISOString();
    if (rec.kind === 'kubernetes') {
      const view = await this.kubernetesCluster(name);
      return {
        target: name,
        targetKind,
        at,
        flink: null,
        kubernetes: view,
        waiting: kubernetesWaiting(view),
        sources: [
          `pods of namespace ${view.namespace} (their containers' requests and limits, the PodScheduled condition) from the API server ${view.server}`,
          view.nodes
            ? "nodes' allocatable CPU and memory, and the requests of every pod on them (all namespaces)"
            : `nodes not read: ${view.nodesProblem}`,
        ],
      };
    }
    const jobs = (await this.store.jobs.list()).filter((j) => j.target === name && j.flinkJobId);
    const jobOf = (id: string) => jobs.find((j) => j.flinkJobId === id)?.name ?? null;
    const clusters: { cluster: string; restUrl: string; down: string | null; jobOf: typeof jobOf }[] = [];
    if (rec.kind === 'application') {
      for (const c of (await this.applicationTarget(rec)).clusters())
        clusters.push({ cluster: c.jobName, restUrl: c.restUrl, down: null, jobOf });
    } else if (rec.kind === 'remote') {
      clusters.push({ cluster: name, restUrl: rec.spec.restUrl, down: null, jobOf });
    } else {
      const c = await this.cluster(name);
      const state = (await c.status()).state;
      clusters.push({
        cluster: name,
        restUrl: c.restUrl,
        down: state === 'stopped' ? renderMessage(message('cluster.notRunning', { cluster: name })) : null,
        jobOf,
      });
    }
    const read = await Promise.all(
      clusters.map(async (c) => {
        if (c.down) return { view: unreadCluster(c.cluster, c.restUrl, c.down), waiting: [] };
        try {
          const facts = await this.runtime.flinkResources(c.restUrl);
          const view = flinkClusterResources(c.cluster, c.restUrl, facts, c.jobOf);
          return { view, waiting: flinkWaiting(view, facts) };
        } catch (e) {
          return { view: unreadCluster(c.cluster, c.restUrl, (e as Error).message), waiting: [] };
        }
      }),
    );
    return {
      target: name,
      targetKind,
      at,
      flink: flinkTotals(read.map((r) => r.view)),
      kubernetes: null,
      waiting: read.flatMap((r) => r.waiting),
      sources: [
        rec.kind === 'application'
          ? "each job's own cluster's Flink REST API"
          : `the session cluster's Flink REST API`,
        "TaskManagers' slots and jobs from /taskmanagers and /taskmanagers/{id} (its memoryConfiguration and heap metrics)",
        'jobs and their tasks by state from /jobs/overview; for a job whose tasks wait, /jobs/{id}/exceptions',
      ],
    };
  }

  /** The deployment target for jobs on this cluster: local clusters are started on demand. */
  async target(name: string): Promise<DeploymentTarget> {
    const rec = await this.record(name);
    if (rec.kind === 'application') return this.applicationTarget(rec);
    if (rec.kind === 'kubernetes') return this.kubernetesTarget(rec);
    if (rec.kind === 'remote')
      return this.runtime.sessionTarget(name, 'remote', rec.spec.restUrl, rec.spec.gatewayUrl);
    const c = await this.cluster(name);
    return this.runtime.sessionTarget(
      name,
      'local',
      c.restUrl,
      c.gatewayUrl,
      async (log) => {
        await this.requireRunning(name, log);
      },
      c.logs,
    );
  }

  /** The session cluster of a Kubernetes session target; refused, saying why, for any other Kubernetes target. */
  private async sessionOf(rec: KubernetesTargetRecord): Promise<KubernetesSessionControl> {
    const t = sessionControlOf(await this.kubernetesTarget(rec));
    if (!rec.spec.session || !t)
      throw new SluiceError('precondition_failed', message('kubernetes.notASession', { target: rec.name }));
    return t;
  }

  /**
   * Refuses, before an operation is started, a target whose session cluster cannot be started: only
   * local session targets and Kubernetes session targets have one Sluice runs.
   */
  async requireStartable(name: string): Promise<void> {
    const rec = await this.record(name);
    if (rec.kind === 'kubernetes') await this.sessionOf(rec);
    else await this.spec(name);
  }

  async start(name: string, progress: Progress): Promise<LocalClusterStatus> {
    const rec = await this.record(name);
    if (rec.kind === 'kubernetes') return (await this.sessionOf(rec)).start(progress);
    const c = await this.cluster(name);
    const s = await c.status();
    if (s.state === 'running') {
      progress(`cluster ${name} is already running`);
      return s;
    }
    await c.start(progress);
    return c.status();
  }

  async stop(name: string): Promise<LocalClusterStatus> {
    const rec = await this.record(name);
    if (rec.kind === 'kubernetes')
      return (await this.sessionOf(rec)).stop((line) => this.log(`target ${name}: ${line}`));
    const c = await this.cluster(name);
    await c.stop();
    return c.status();
  }

  async status(name: string): Promise<TargetView & { events: ClusterEvent[] }> {
    const rec = await this.record(name);
    return { ...(await this.view(rec)), events: await this.store.targets.events(name, 50) };
  }

  private async view(rec: TargetRecord): Promise<TargetView> {
    return { ...(await this.viewOf(rec)), targetKind: kindOfRecord(rec) };
  }

  private async viewOf(rec: TargetRecord): Promise<Omit<TargetView, 'targetKind'>> {
    if (rec.kind === 'kubernetes') {
      const check = await this.kubernetesCheck(rec);
      const failed = check.results.find((r) => !r.ok);
      const apiDown = check.results.some((r) => (r.name === 'api' || r.name === 'kubeconfig') && !r.ok);
      // A session target's state is its session cluster's, as a local session target's is.
      const session =
        rec.spec.session && !apiDown
          ? await this.sessionOf(rec)
              .then((x) => x.status())
              .catch(() => null)
          : null;
      return {
        kind: 'kubernetes',
        engineVersion: rec.spec.engineVersion,
        name: rec.name,
        state: apiDown ? 'unreachable' : failed ? 'degraded' : (session?.state ?? 'ok'),
        flinkVersion: session?.flinkVersion ?? rec.spec.engineVersion,
        restUrl: session?.restUrl ?? '',
        gatewayUrl: session?.gatewayUrl ?? '',
        processes: session?.processes ?? [],
        overview: session?.overview ?? null,
        gatewayHealthy: session?.gatewayHealthy ?? false,
        ...(failed?.problem
          ? { problem: renderMessage(failed.problem), problemMessage: failed.problem }
          : {}),
        kubernetes: {
          spec: rec.spec,
          server: check.server,
          context: check.context,
          serverVersion: check.serverVersion,
          user: check.user,
          checks: check.results,
          operatorCrds: check.operatorCrds,
          checkedAt: new Date(this.kubernetesHealth.get(rec.name)?.at ?? Date.now()).toISOString(),
        },
      };
    }
    if (rec.kind === 'application') {
      // Its processes are those of its jobs' clusters, each named after its job.
      const clusters = this.applicationTargets.get(rec.name)?.clusters() ?? [];
      return {
        kind: 'application',
        engineVersion: rec.spec.engineVersion,
        name: rec.name,
        state: clusters.length ? 'running' : 'stopped',
        flinkVersion: rec.spec.engineVersion,
        restUrl: '',
        gatewayUrl: '',
        processes: clusters.flatMap((c) => c.processes.map((p) => ({ ...p, id: `${c.jobName}/${p.id}` }))),
        overview: null,
        gatewayHealthy: false,
      };
    }
    if (rec.kind === 'remote') {
      const overview = await this.runtime.overview(rec.spec.restUrl).catch(() => null);
      const gatewayHealthy = rec.spec.gatewayUrl
        ? await this.runtime.gatewayAnswers(rec.spec.gatewayUrl)
        : false;
      return {
        kind: 'remote',
        engineVersion: rec.spec.engineVersion,
        name: rec.name,
        state: overview ? 'running' : 'unreachable',
        flinkVersion: overview?.['flink-version'] ?? rec.spec.engineVersion,
        restUrl: rec.spec.restUrl,
        gatewayUrl: rec.spec.gatewayUrl ?? '',
        processes: [],
        overview,
        gatewayHealthy,
      } as Omit<TargetView, 'targetKind'>;
    }
    try {
      return {
        kind: 'local',
        engineVersion: rec.spec.engineVersion,
        ...(await (await this.cluster(rec.name)).status()),
      };
    } catch (e) {
      return {
        kind: 'local',
        engineVersion: rec.spec.engineVersion,
        name: rec.name,
        state: 'stopped',
        flinkVersion: rec.spec.engineVersion,
        ...this.runtime.localUrls(rec.spec),
        processes: [],
        overview: null,
        gatewayHealthy: false,
        problem: (e as Error).message,
        problemMessage: codedOf(e),
      };
    }
  }

  async list(): Promise<TargetView[]> {
    const records: TargetRecord[] = [
      ...(await this.store.targets.list()),
      ...(await this.applicationRecords()),
    ];
    return Promise.all(records.map((rec) => this.view(rec)));
  }

  /**
   * The JobManagers and TaskManagers running now, on the clusters this platform runs, whose Prometheus
   * reporter has a port: local session clusters' processes, and each local application cluster's (with
   * its job). What `GET /api/v1/prometheus/targets` lists.
   */
  async metricsEndpoints(): Promise<FlinkMetricsEndpoint[]> {
    const out: FlinkMetricsEndpoint[] = [];
    const reporting = (p: ClusterProcessStatus): p is ClusterProcessStatus & { metricsPort: number } =>
      p.alive && p.metricsPort !== null && (p.role === 'jobmanager' || p.role === 'taskmanager');
    for (const rec of await this.store.targets.list()) {
      if (rec.kind !== 'local' || !(this.live.has(rec.name) || this.attachedRoots.has(rec.name))) continue;
      const status = await (await this.cluster(rec.name)).status().catch(() => null);
      for (const p of status?.processes.filter(reporting) ?? [])
        out.push({
          address: `127.0.0.1:${p.metricsPort}`,
          target: rec.name,
          engineVersion: rec.spec.engineVersion,
          role: p.role as FlinkProcessRole,
          process: p.id,
          job: null,
        });
    }
    for (const [name, t] of this.applicationTargets)
      for (const c of t.clusters())
        for (const p of c.processes.filter(reporting))
          out.push({
            address: `127.0.0.1:${p.metricsPort}`,
            target: name,
            engineVersion: engineOfLocalApplicationTarget(name) ?? '',
            role: p.role as FlinkProcessRole,
            process: p.id,
            job: { name: c.jobName, flinkJobId: c.flinkJobId },
          });
    return out;
  }

  /** The default cluster of an engine version, or of the default engine when none is named. */
  async defaultFor(engineVersion?: string): Promise<string> {
    const version = engineVersion ?? (await this.engines.default())?.version;
    if (!version) throw new SluiceError('precondition_failed', message('engine.noneInstalled'));
    return this.defineDefault(version);
  }

  /**
   * The target a job of `space` runs on when it names none (`defaultTargetOf`): the engine's session
   * cluster, defined if need be, for a job of that cluster's space; the engine's local application
   * target for any other space's job.
   */
  async defaultForSpace(engineVersion: string, space: string): Promise<string> {
    const engine = engineKey(engineVersion);
    const session = defaultClusterName(engine);
    const name = defaultTargetOf(engine, space, await this.store.spaces.spaceOf('target', session));
    return name === session ? this.defineDefault(engine) : name;
  }

  /** Ensures the default engine's cluster exists (defined with the configured defaults). */
  async defineDefault(engineVersion: string): Promise<string> {
    const name = defaultClusterName(engineKey(engineVersion));
    if (!(await this.store.targets.get(name))) await this.define({ name, engineVersion }, { implicit: true });
    return name;
  }

  /**
   * The log retention applied again (at start each target applies it when it adopts): every engine's
   * local application target, and the Kubernetes targets in use. The platform calls it hourly. A
   * target that fails says so and the others go on.
   */
  async pruneLogs(progress: Progress): Promise<void> {
    const targets: [string, DeploymentTarget][] = [];
    for (const rec of await this.applicationRecords())
      targets.push([rec.name, await this.applicationTarget(rec)]);
    for (const [name, { target }] of this.kubernetesTargets) targets.push([name, target]);
    for (const [name, target] of targets)
      try {
        if (target.applications?.pruneLogs) target.applications.pruneLogs(progress);
        else target.pruneLogs?.(progress);
      } catch (e) {
        progress(`could not apply the log retention to target ${name}: ${(e as Error).message}`);
      }
  }

  /** At platform start: clusters whose processes outlived the last platform are adopted, not duplicated. */
  async adoptLeftovers(progress: Progress): Promise<string[]> {
    const adopted: string[] = [];
    for (const rec of await this.store.targets.list()) {
      if (rec.kind !== 'local' || !this.runtime.hasLiveProcesses(this.root(rec.name))) continue;
      try {
        await this.start(rec.name, progress);
        adopted.push(rec.name);
      } catch (e) {
        progress(`could not adopt cluster ${rec.name}: ${(e as Error).message}`);
      }
    }
    // Jobs' own clusters: adopted by their target, found again by the Flink job id each runs.
    for (const rec of await this.applicationRecords()) {
      try {
        const ids = await (await this.applicationTarget(rec)).applications.adopt(progress);
        if (ids.length) adopted.push(rec.name);
      } catch (e) {
        progress(`could not adopt the application clusters of ${rec.name}: ${(e as Error).message}`);
      }
    }
    // Kubernetes targets whose mode is built: their jobs' clusters are found again in their namespace.
    for (const rec of await this.store.targets.list()) {
      if (rec.kind !== 'kubernetes' || !isBuilt(kindOfRecord(rec))) continue;
      try {
        const ids = (await (await this.kubernetesTarget(rec)).applications?.adopt(progress)) ?? [];
        if (ids.length) adopted.push(rec.name);
      } catch (e) {
        progress(`could not adopt the clusters of Kubernetes target ${rec.name}: ${(e as Error).message}`);
      }
    }
    return adopted;
  }

  /**
   * Makes `spec` a local session target whose processes already run from the cluster folder `root`,
   * started by another owner (the test run's shared cluster): this platform adopts them on first use
   * as it adopts those a killed platform left. Its ports are that cluster's, held by it, so they are
   * not asked of the machine; only another target's ports are refused. Closing the platform leaves
   * it running (`detach`).
   */
  async attach(spec: LocalClusterSpec, root: string): Promise<void> {
    const existing = await this.localDefinition(spec.name);
    await this.engines.get(spec.engineVersion);
    checkLocalClusterSpec(spec, { memoryBytes: os.totalmem() });
    await this.checkPorts(spec, existing, false);
    this.attachedRoots.set(spec.name, root);
    this.live.delete(spec.name);
    await this.store.targets.save(spec);
  }

  /**
   * Stops supervising the local cluster `name` and leaves its processes running: closing the platform
   * no longer stops them (a cluster another owner runs, see `attach`).
   */
  detach(name: string): void {
    this.live.get(name)?.detach();
    this.live.delete(name);
  }

  /** Leaves every cluster running unsupervised (a platform restart that keeps Flink up). */
  detachAll(): void {
    for (const c of this.live.values()) c.detach();
    for (const t of this.applicationTargets.values()) t.applications.detach();
    for (const { target } of this.kubernetesTargets.values()) target.applications?.detach();
  }

  /**
   * Stops the clusters this process runs. Those on Kubernetes are not this process's: they keep
   * running when the platform stops, and the next platform adopts them; nor are those attached
   * (`attach`), whose owner stops them.
   */
  async stopAll(): Promise<void> {
    for (const { target } of this.kubernetesTargets.values()) target.applications?.detach();
    for (const name of this.attachedRoots.keys()) this.detach(name);
    await Promise.all([
      ...[...this.live.values()].map((c) => c.stop()),
      ...[...this.applicationTargets.values()].map((t) => t.applications.stopAll()),
    ]);
  }

  async requireRunning(name: string, progress: Progress): Promise<C> {
    const c = await this.cluster(name);
    const s = await c.status();
    if (s.state === 'running') return c;
    if (s.state === 'stopping')
      throw new SluiceError('precondition_failed', message('cluster.stopping', { cluster: name }));
    progress(`cluster ${name} is ${s.state}: starting it`);
    await this.start(name, progress);
    return c;
  }
}

const applicationRecord = (engineVersion: string, createdAt: string): ApplicationRecord => {
  const name = localApplicationTargetName(engineVersion);
  return { name, kind: 'application', spec: { name, engineVersion }, createdAt };
};

/** A kind some content can be deployed on (the Kubernetes kinds are not, until their deployer is built). */
const isBuilt = (kind: TargetKindName): boolean =>
  Object.values(targetKind(kind).deploySteps).some((steps) => steps !== null);

export const kindOfRecord = (rec: TargetRecord): TargetKindName =>
  rec.kind === 'kubernetes'
    ? kubernetesKindOf(rec.spec.mode, !!rec.spec.session)
    : targetKindOfWire(rec.kind);

/** A spec as JSON with its keys sorted: a stored spec and the same one made again compare equal. */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

/** A list reuses a Kubernetes target's checks this long: the console polls, the cluster is not asked each time. */
const HEALTH_REUSE_MS = 10_000;
/** The field of a registration a failed check points at. */
const FIELD_OF_CHECK: Record<KubernetesCheckName, string> = {
  kubeconfig: 'kubeconfig',
  api: 'kubeconfig',
  namespace: 'namespace',
  permissions: 'kubeconfig',
  serviceAccount: 'serviceAccount',
  sharedClaim: 'sharedClaim',
  crds: 'mode',
};

const hasPendingPods = (t: object): t is { pendingPods(flinkJobId: string): number | null } =>
  typeof (t as { pendingPods?: unknown }).pendingPods === 'function';

const hasClusterView = (t: object): t is { clusterView(): Promise<KubernetesClusterView> } =>
  typeof (t as { clusterView?: unknown }).clusterView === 'function';
