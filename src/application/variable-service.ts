import { notFound } from '../domain/errors.ts';
import {
  checkVariableName,
  findReferences,
  lineageValue,
  missingVariableError,
  referenceSecrets,
  substitute,
  substituteOutsideStrings,
  type Variable,
} from '../domain/workspace/variables.ts';
import type { SecretBox } from '../adapters/secrets/secret-box.ts';
import type { StoredVariable } from '../adapters/store/workspace-repository.ts';
import type { Store } from '../adapters/store/store.ts';
import { rememberSecret } from './secret-masking.ts';

/** A job's SQL and options with their variables substituted, ready for the engine and nothing else. */
export interface ResolvedScript {
  sql: string;
  options: Record<string, string>;
  /** Names substituted, for the submission log. */
  used: string[];
  secretsUsed: string[];
}

/** Workspace variables and secrets: stored (secrets sealed), substituted at submission, masked elsewhere. */
export class VariableService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  /** Loads the secret values so that masking works from the first log line on. */
  async load(): Promise<void> {
    for (const v of await this.store.workspace.variables())
      if (v.secret) rememberSecret(this.box.open(v.storedValue, v.name));
  }

  async list(): Promise<Variable[]> {
    return (await this.store.workspace.variables()).map(publicView);
  }

  async get(name: string): Promise<Variable> {
    const v = await this.store.workspace.variable(name);
    if (!v) throw notFound('variable', name, 'list them with `sluice variable list`');
    return publicView(v);
  }

  async set(
    name: string,
    value: string,
    opts: { secret?: boolean; description?: string },
  ): Promise<Variable> {
    checkVariableName(name);
    const before = await this.store.workspace.variable(name);
    // Once secret, a variable stays secret unless it is deleted: a PUT without `secret` keeps it sealed.
    const secret = opts.secret ?? before?.secret ?? false;
    await this.store.workspace.saveVariable({
      name,
      storedValue: secret ? this.box.seal(value) : value,
      secret,
      description: opts.description ?? before?.description ?? '',
    });
    if (secret) rememberSecret(value);
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.store.workspace.deleteVariable(name)))
      throw notFound('variable', name, 'list them with `sluice variable list`');
  }

  /** Substitutes `${name}` in SQL and option values; a reference to an undefined name is an error. */
  async resolve(sql: string, options: Record<string, string> = {}): Promise<ResolvedScript> {
    const values = await this.values();
    const s = substitute(sql, values.all);
    if (s.missing.length) throw missingVariableError('sql', s.missing);
    const used = new Set(s.used);
    const resolvedOptions: Record<string, string> = {};
    for (const [k, v] of Object.entries(options)) {
      const o = substitute(v, values.all);
      if (o.missing.length) throw missingVariableError(`'${k}'`, o.missing);
      o.used.forEach((n) => used.add(n));
      resolvedOptions[k] = o.text;
    }
    return {
      sql: s.text,
      options: resolvedOptions,
      used: [...used],
      secretsUsed: [...used].filter((n) => values.secret.has(n)),
    };
  }

  /**
   * For lineage, which must work on a script still being written and never needs a secret: plain
   * variables substituted in the script's names and in its option values (noting which variables each
   * value used); a secret's reference stays as written, so tables meet by it, never by its value.
   */
  async forLineage(): Promise<{
    script: (sql: string) => string;
    value: (value: string) => { text: string; variables: string[] };
  }> {
    const plain = new Map<string, string>();
    const secrets = new Set<string>();
    for (const v of await this.store.workspace.variables())
      if (v.secret) secrets.add(v.name);
      else plain.set(v.name, v.storedValue);
    return { script: (sql) => substituteOutsideStrings(sql, plain), value: lineageValue(plain, secrets) };
  }

  /** References to variables that are not defined, as positions in the script. */
  async undefinedReferences(sql: string): Promise<ReturnType<typeof findReferences>> {
    const names = new Set((await this.store.workspace.variables()).map((v) => v.name));
    return findReferences(sql).filter((r) => !names.has(r.name));
  }

  /** A secret value pasted into SQL or options is stored as a reference to its variable instead. */
  async referenceSecrets(
    sql: string,
    options: Record<string, string>,
  ): Promise<{ sql: string; options: Record<string, string>; replaced: string[] }> {
    const secrets: { name: string; value: string }[] = [];
    for (const v of await this.store.workspace.variables())
      if (v.secret) secrets.push({ name: v.name, value: this.box.open(v.storedValue, v.name) });
    if (!secrets.length) return { sql, options, replaced: [] };
    const s = referenceSecrets(sql, secrets);
    const replaced = new Set(s.replaced);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(options)) {
      const o = referenceSecrets(v, secrets);
      o.replaced.forEach((n) => replaced.add(n));
      out[k] = o.text;
    }
    return { sql: s.text, options: out, replaced: [...replaced] };
  }

  private async values(): Promise<{ all: Map<string, string>; secret: Set<string> }> {
    const all = new Map<string, string>();
    const secret = new Set<string>();
    for (const v of await this.store.workspace.variables()) {
      const value = v.secret ? this.box.open(v.storedValue, v.name) : v.storedValue;
      all.set(v.name, value);
      if (v.secret) {
        secret.add(v.name);
        rememberSecret(value);
      }
    }
    return { all, secret };
  }
}

const publicView = (v: StoredVariable): Variable => ({
  name: v.name,
  value: v.secret ? null : v.storedValue,
  secret: v.secret,
  description: v.description,
  createdAt: v.createdAt,
  updatedAt: v.updatedAt,
});
