import fs from 'node:fs';
import path from 'node:path';
import { engineKey, type Engine } from '../domain/engines/engine.ts';
import {
  distributionRecipe,
  supportedEngineVersionsText,
  type FlinkDistributionRecipe,
} from '../domain/engines/flink-distribution.ts';
import { codedOf, SluiceError, notFound } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import {
  howToAddCatalogType,
  knownCatalogConnectors,
  type CatalogTypes,
} from '../domain/engines/catalog-types.ts';
import type {
  CatalogFactoryScan,
  EngineInstallations,
  FlinkDistribution,
  ProvisionResult,
} from './ports/engines.ts';
import type { MetadataStore } from './ports/store.ts';
import type { SluiceConfig } from './config.ts';
import type { Progress } from './operations.ts';

export interface EngineView extends Engine {
  /** Whether the installation is still on disk and usable. */
  healthy: boolean;
  problem: string | null;
  /** The same as a message code with parameters, for a client to say in its language. */
  problemMessage: Message | null;
}

/** Installed Flink versions: provisioned from Maven or registered from an existing distribution. */
export class EngineService {
  /** The last scan of each engine home, with the jars it read (names, sizes, times) as its key. */
  private readonly scans = new Map<string, { key: string; scan: CatalogFactoryScan }>();

  constructor(
    private readonly store: MetadataStore,
    private readonly config: SluiceConfig,
    private readonly installations: EngineInstallations,
  ) {}

  get enginesDir(): string {
    return path.join(this.config.home, 'engines');
  }

  async list(): Promise<EngineView[]> {
    return (await this.store.engines.list()).map((e) => {
      try {
        this.installations.inspect(e.home);
        return { ...e, healthy: true, problem: null, problemMessage: null };
      } catch (err) {
        return { ...e, healthy: false, problem: (err as Error).message, problemMessage: codedOf(err) };
      }
    });
  }

  async get(version: string): Promise<Engine> {
    const e = await this.store.engines.get(engineKey(version));
    if (!e) throw notFound('engine', version, message('engine.notFound', { engine: version }));
    return e;
  }

  async default(): Promise<Engine | undefined> {
    return this.store.engines.getDefault();
  }

  async distribution(version: string): Promise<FlinkDistribution> {
    return this.installations.inspect((await this.get(version)).home);
  }

  /**
   * The catalog types of an engine, read from the jars of its lib/ folder (see catalog-factories.ts):
   * what CREATE CATALOG can name on its clusters. A jar added to lib/ counts from the next call on.
   */
  async catalogTypes(version: string): Promise<CatalogTypes> {
    const engine = await this.get(version);
    const dist = this.installations.inspect(engine.home);
    const key = dist.classpath
      .map((f) => {
        const s = fs.statSync(f);
        return `${f}:${s.size}:${s.mtimeMs}`;
      })
      .join('\n');
    let cached = this.scans.get(engine.home);
    if (cached?.key !== key) {
      cached = { key, scan: this.installations.scanCatalogFactories(dist.classpath) };
      this.scans.set(engine.home, cached);
    }
    const { factories, unreadable } = cached.scan;
    const libDir = path.join(engine.home, 'lib');
    return {
      engineVersion: engine.version,
      types: factories,
      unreadable,
      libDir,
      howToAdd: renderMessage(howToAddCatalogType(libDir)),
      howToAddMessage: howToAddCatalogType(libDir),
      missing: knownCatalogConnectors(engine.version).filter(
        (c) => !factories.some((f) => f.type === c.type),
      ),
    };
  }

  /** Refuses at once, before any operation starts, a version there is no recipe for. */
  recipeFor(version: string): FlinkDistributionRecipe {
    const recipe = distributionRecipe(version);
    if (!recipe)
      throw new SluiceError(
        'invalid_argument',
        message('engine.unsupportedVersion', { version, supported: supportedEngineVersionsText() }),
        { field: 'version' },
      );
    return recipe;
  }

  async install(version: string, progress: Progress): Promise<Engine & { provisioning: ProvisionResult }> {
    const result = await this.installations.provision({
      enginesDir: this.enginesDir,
      version,
      mavenLocalRepository: this.config.mavenLocalRepository,
      mavenMirror: this.config.mavenMirror,
      progress,
    });
    const existing = await this.store.engines.get(result.minor);
    if (existing && existing.source === 'registered' && existing.home !== result.home)
      throw new SluiceError(
        'conflict',
        message('engine.alreadyRegistered', { engine: result.minor, home: existing.home }),
      );
    const engine = await this.store.engines.save({
      version: result.minor,
      flinkVersion: result.flinkVersion,
      home: result.home,
      source: 'provisioned',
      installedAt: existing?.installedAt ?? new Date().toISOString(),
    });
    return { ...engine, provisioning: result };
  }

  /** Registers an existing Flink distribution (an unpacked flink-*-bin tarball, or another Sluice engine). */
  async register(home: string): Promise<Engine> {
    const abs = path.resolve(home);
    if (!fs.existsSync(abs))
      throw new SluiceError('invalid_argument', message('engine.noHome', { home: abs }), { field: 'home' });
    const dist = this.installations.inspect(abs);
    const version = engineKey(dist.flinkVersion);
    const existing = await this.store.engines.get(version);
    if (existing && existing.home !== abs)
      throw new SluiceError(
        'conflict',
        message('engine.exists', {
          engine: version,
          flinkVersion: existing.flinkVersion,
          home: existing.home,
        }),
        { version },
      );
    return this.store.engines.save({
      version,
      flinkVersion: dist.flinkVersion,
      home: abs,
      source: 'registered',
      installedAt: new Date().toISOString(),
    });
  }

  async setDefault(version: string): Promise<Engine> {
    const e = await this.get(version);
    await this.store.engines.setDefault(e.version);
    return (await this.store.engines.get(e.version))!;
  }
}
