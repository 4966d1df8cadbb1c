import path from 'node:path';
import {
  checkLocalClusterSpec,
  defaultClusterName,
  type LocalClusterSpec,
} from '../domain/clusters/local-cluster-spec.ts';
import { engineKey } from '../domain/engines/engine.ts';
import { SluiceError, notFound } from '../domain/errors.ts';
import {
  LocalSessionCluster,
  type LocalClusterStatus,
} from '../adapters/flink/local-cluster/local-session-cluster.ts';
import { findJava } from '../adapters/system/prerequisites.ts';
import type { ClusterEvent } from '../adapters/store/cluster-repository.ts';
import type { Store } from '../adapters/store/store.ts';
import type { SluiceConfig } from './config.ts';
import type { EngineService } from './engine-service.ts';
import type { Progress } from './operations.ts';

export type ClusterDefinition = Partial<Omit<LocalClusterSpec, 'name'>> & { name: string };

/** Local session clusters: their definitions in the store, their processes supervised here. */
export class ClusterService {
  private readonly live = new Map<string, LocalSessionCluster>();

  constructor(
    private readonly store: Store,
    private readonly engines: EngineService,
    private readonly config: SluiceConfig,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  private root(name: string): string {
    return path.join(this.config.home, 'clusters', name);
  }

  /** Creates or updates a cluster definition; a running cluster keeps its settings until restarted. */
  async define(def: ClusterDefinition): Promise<LocalClusterSpec> {
    const existing = (await this.store.clusters.get(def.name))?.spec;
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
    checkLocalClusterSpec(spec);
    await this.store.clusters.save(spec);
    return spec;
  }

  async spec(name: string): Promise<LocalClusterSpec> {
    const rec = await this.store.clusters.get(name);
    if (!rec)
      throw notFound('cluster', name, 'create it with `sluice cluster start <name> --engine <version>`');
    return rec.spec;
  }

  /** The process manager for a cluster, created from its stored definition on first use. */
  async cluster(name: string): Promise<LocalSessionCluster> {
    const spec = await this.spec(name);
    const current = this.live.get(name);
    if (current && JSON.stringify(current.spec) === JSON.stringify(spec)) return current;
    if (current) {
      const s = await current.status();
      if (s.state !== 'stopped') return current; // new settings apply at the next start
    }
    const dist = await this.engines.distribution(spec.engineVersion);
    const java = findJava().path;
    const cluster = new LocalSessionCluster(spec, dist, java, this.root(name), (processId, kind, detail) => {
      this.log(`cluster ${name}: ${processId} ${kind}: ${detail}`);
      void this.store.clusters.recordEvent(name, processId, kind, detail).catch(() => undefined);
    });
    this.live.set(name, cluster);
    return cluster;
  }

  async start(name: string, progress: Progress): Promise<LocalClusterStatus> {
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
    const c = await this.cluster(name);
    await c.stop();
    return c.status();
  }

  async status(name: string): Promise<LocalClusterStatus & { events: ClusterEvent[] }> {
    const c = await this.cluster(name);
    return { ...(await c.status()), events: await this.store.clusters.events(name, 50) };
  }

  async list(): Promise<LocalClusterStatus[]> {
    const out: LocalClusterStatus[] = [];
    for (const rec of await this.store.clusters.list()) {
      try {
        out.push(await (await this.cluster(rec.name)).status());
      } catch (e) {
        out.push({
          name: rec.name,
          state: 'stopped',
          flinkVersion: rec.spec.engineVersion,
          restUrl: `http://127.0.0.1:${rec.spec.restPort}`,
          gatewayUrl: `http://127.0.0.1:${rec.spec.gatewayPort}`,
          processes: [],
          overview: null,
          gatewayHealthy: false,
          problem: (e as Error).message,
        } as LocalClusterStatus);
      }
    }
    return out;
  }

  /** Ensures the default engine's cluster exists (defined with the configured defaults). */
  async defineDefault(engineVersion: string): Promise<string> {
    const name = defaultClusterName(engineKey(engineVersion));
    if (!(await this.store.clusters.get(name))) await this.define({ name, engineVersion });
    return name;
  }

  /** At platform start: clusters whose processes outlived the last platform are adopted, not duplicated. */
  async adoptLeftovers(progress: Progress): Promise<string[]> {
    const adopted: string[] = [];
    for (const rec of await this.store.clusters.list()) {
      if (!LocalSessionCluster.hasLiveProcesses(this.root(rec.name))) continue;
      try {
        await this.start(rec.name, progress);
        adopted.push(rec.name);
      } catch (e) {
        progress(`could not adopt cluster ${rec.name}: ${(e as Error).message}`);
      }
    }
    return adopted;
  }

  /** Leaves every cluster running unsupervised (a platform restart that keeps Flink up). */
  detachAll(): void {
    for (const c of this.live.values()) c.detach();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((c) => c.stop()));
  }

  async requireRunning(name: string, progress: Progress): Promise<LocalSessionCluster> {
    const c = await this.cluster(name);
    const s = await c.status();
    if (s.state === 'running') return c;
    if (s.state === 'stopping') throw new SluiceError('precondition_failed', `cluster ${name} is stopping`);
    progress(`cluster ${name} is ${s.state}: starting it`);
    await this.start(name, progress);
    return c;
  }
}
