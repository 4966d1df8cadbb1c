import { invalid, notFound, SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { checkCatalogType, type CatalogTypes } from '../domain/engines/catalog-types.ts';
import {
  checkCatalog,
  createCatalogStatement,
  type CatalogDefinition,
} from '../domain/workspace/catalogs.ts';
import { type SqlSession, workbenchOf } from '../domain/targets/deployment-target.ts';
import type { MetadataStore } from './ports/store.ts';
import type { TargetService } from './target-service.ts';
import type { VariableService } from './variable-service.ts';
import { maskSecretsIn } from './secret-masking.ts';
import type { AllowedFilePaths } from './file-paths.ts';

export interface CatalogInput {
  type: string;
  options?: Record<string, string> | undefined;
  description?: string | undefined;
}

export interface CatalogColumn {
  name: string;
  type: string;
  nullable: boolean;
  key: string | null;
  extras: string | null;
  watermark: string | null;
}

/**
 * Workspace catalogs: defined once, chosen per job, created in the job's session before its SQL.
 * Browsing goes through the engine itself (a SQL Gateway session), so what is listed is what a job
 * will see.
 */
export class CatalogService {
  constructor(
    private readonly store: MetadataStore,
    private readonly variables: VariableService,
    private readonly targets: TargetService,
    private readonly files: AllowedFilePaths,
  ) {}

  list(): Promise<CatalogDefinition[]> {
    return this.store.workspace.catalogs();
  }

  async get(name: string): Promise<CatalogDefinition> {
    const c = await this.store.workspace.catalog(name);
    if (!c) throw notFound('catalog', name, message('catalog.notFound', { catalog: name }));
    return c;
  }

  /** Saves the definition after checking that the engine accepts it, so a broken one is never stored. */
  async save(
    name: string,
    input: CatalogInput,
    /** `space`: where the catalog is (or goes): its check takes that space's variables only. */
    opts: { target?: string | undefined; space?: string | null | undefined } = {},
  ): Promise<CatalogDefinition> {
    const def = { name, type: input.type, options: input.options ?? {} };
    checkCatalog(def);
    // A type the engine lacks is refused here, naming those it has, before any cluster is started.
    checkCatalogType(def.type, await this.types(opts.target));
    const referenced = await this.variables.referenceSecrets('', def.options);
    await this.withCatalog(
      { ...def, options: referenced.options },
      opts.target,
      async () => undefined,
      opts.space,
    );
    await this.store.workspace.saveCatalog(
      {
        ...def,
        options: referenced.options,
        description: await this.variables.reference(input.description ?? ''),
      },
      opts.space ?? undefined,
    );
    return this.get(name);
  }

  /** The catalog types the engine of a cluster has (by default the cluster that checks catalogs). */
  async types(targetName?: string): Promise<CatalogTypes> {
    return this.targets.catalogTypes(targetName ?? (await this.targets.defaultFor()));
  }

  async delete(name: string): Promise<void> {
    const users = await this.store.workspace.jobsUsingCatalog(name);
    if (users.length)
      throw new SluiceError('conflict', message('catalog.inUse', { catalog: name, jobs: users.join(', ') }));
    if (!(await this.store.workspace.deleteCatalog(name)))
      throw notFound('catalog', name, message('catalog.notFound', { catalog: name }));
  }

  /** The CREATE CATALOG statements for a job's chosen catalogs, with their variables substituted. */
  async statements(names: string[]): Promise<{ name: string; statement: string }[]> {
    const out: { name: string; statement: string }[] = [];
    for (const name of names) out.push({ name, statement: await this.statementOf(await this.chosen(name)) });
    return out;
  }

  /**
   * The CREATE CATALOG statement of a definition with its variables substituted, refused when it names
   * a file outside the allowed folders: creating it (a Paimon warehouse) would already write there.
   */
  private async statementOf(
    c: Pick<CatalogDefinition, 'name' | 'type' | 'options'>,
    given?: string | null,
  ): Promise<string> {
    // A catalog's options take its space's variables only.
    const space = given ?? (await this.store.spaces.spaceOf('catalog', c.name));
    const resolved = await this.variables.resolve('', c.options, space);
    const statement = createCatalogStatement({ ...c, options: resolved.options });
    await this.files.checkCatalog(statement, space);
    return statement;
  }

  async checkNames(names: string[]): Promise<void> {
    for (const name of names) await this.chosen(name);
  }

  /** A catalog a job chooses; an unknown name is the job's error, not a missing resource. */
  private async chosen(name: string): Promise<CatalogDefinition> {
    const c = await this.store.workspace.catalog(name);
    if (!c) throw invalid('catalogs', message('catalog.notDefined', { catalog: name }));
    return c;
  }

  async databases(name: string, targetName?: string): Promise<string[]> {
    const c = await this.get(name);
    return this.withCatalog(c, targetName, async (s) =>
      (await s.execute(`SHOW DATABASES`)).rows.map((r) => String(r.fields[0])),
    );
  }

  async tables(name: string, database: string, targetName?: string): Promise<string[]> {
    const c = await this.get(name);
    return this.withCatalog(c, targetName, async (s) => {
      await s.execute(`USE ${ident(database)}`);
      return (await s.execute('SHOW TABLES')).rows.map((r) => String(r.fields[0]));
    });
  }

  async columns(
    name: string,
    database: string,
    table: string,
    targetName?: string,
  ): Promise<CatalogColumn[]> {
    const c = await this.get(name);
    return this.withCatalog(c, targetName, async (s) =>
      (await s.execute(`DESCRIBE ${ident(name)}.${ident(database)}.${ident(table)}`)).rows.map((r) => {
        const [n, type, nullable, key, extras, watermark] = r.fields as (string | boolean | null)[];
        return {
          name: String(n),
          type: String(type),
          nullable: nullable === true || nullable === 'true',
          key: (key as string | null) ?? null,
          extras: (extras as string | null) ?? null,
          watermark: (watermark as string | null) ?? null,
        };
      }),
    );
  }

  /** Runs `fn` in a fresh session where the catalog exists and is the current one. */
  private async withCatalog<T>(
    c: Pick<CatalogDefinition, 'name' | 'type' | 'options'>,
    targetName: string | undefined,
    fn: (s: SqlSession) => Promise<T>,
    space?: string | null,
  ): Promise<T> {
    const statement = await this.statementOf(c, space);
    // Left out, in any space: the default engine's session cluster, whose session ends with the check.
    const cluster = targetName ?? (await this.targets.defaultFor());
    const target = await this.targets.target(cluster);
    await target.prepare(() => {});
    const session = await workbenchOf(target).openSqlSession(`sluice-catalog-${c.name}`);
    try {
      await session.execute(statement);
      await session.execute(`USE CATALOG ${ident(c.name)}`);
      // What Flink lists may quote a secret the catalog was created with: masked as it arrives.
      return maskSecretsIn(await fn(session));
    } finally {
      await session.close();
    }
  }
}

const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
