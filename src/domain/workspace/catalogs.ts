import { invalid } from '../errors.ts';
import { message } from '../messages.ts';

/**
 * A catalog defined once for the workspace and chosen per job: the platform runs its
 * `CREATE CATALOG` in the job's SQL session before the job's own statements. Option values may
 * reference variables (`'password' = '${pg_password}'`).
 */
export interface CatalogDefinition {
  name: string;
  /** The catalog factory: generic_in_memory, jdbc, hive... (its `'type'` option). */
  type: string;
  options: Record<string, string>;
  description: string;
  createdAt: string;
  updatedAt: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Flink's own catalogs; a definition of that name would shadow them. */
const RESERVED = ['default_catalog'];

export function checkCatalog(c: Pick<CatalogDefinition, 'name' | 'type' | 'options'>): void {
  if (!NAME.test(c.name) || RESERVED.includes(c.name))
    throw invalid('name', message('catalog.badName', { name: c.name }));
  if (!/^[a-z][a-z0-9_-]*$/.test(c.type)) throw invalid('type', message('catalog.badType', { type: c.type }));
  if ('type' in c.options) throw invalid('options', message('catalog.typeAsOption'));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The statement that creates the catalog in a session. */
export function createCatalogStatement(c: Pick<CatalogDefinition, 'name' | 'type' | 'options'>): string {
  const options = [['type', c.type], ...Object.entries(c.options)].map(
    ([k, v]) => `  ${quote(k!)} = ${quote(v!)}`,
  );
  return `CREATE CATALOG \`${c.name}\` WITH (\n${options.join(',\n')}\n)`;
}
