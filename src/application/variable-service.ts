import { notFound, SluiceError } from '../domain/errors.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import { secretWeakness } from '../domain/workspace/secret-strength.ts';
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
import type { SecretSealer } from './ports/secrets.ts';
import type { MetadataStore, StoredVariable } from './ports/store.ts';
import { forgetSecret, forgetSecretsOf, rememberedSecret, rememberSecret } from './secret-masking.ts';

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
    private readonly store: MetadataStore,
    private readonly box: SecretSealer,
  ) {}

  /**
   * Loads the secret values so that masking works from the first log line on. Secrets saved before
   * weak values were refused are kept (jobs use them) and masked; what is wrong with each is returned
   * for the log, and said beside it wherever variables are listed.
   */
  async load(): Promise<string[]> {
    const warnings: string[] = [];
    for (const v of await this.store.workspace.variables())
      if (v.secret) {
        rememberSecret(this, v.name, this.box.open(v.storedValue, v.name));
        const warning = this.publicView(v).warning;
        if (warning) warnings.push(warning);
      }
    return warnings;
  }

  /** Forgets this workspace's secrets: the platform is closing. */
  close(): void {
    forgetSecretsOf(this);
  }

  async list(): Promise<Variable[]> {
    return (await this.store.workspace.variables()).map((v) => this.publicView(v));
  }

  async get(name: string): Promise<Variable> {
    const v = await this.store.workspace.variable(name);
    if (!v) throw notFound('variable', name, message('variable.notFound', { variable: name }));
    return this.publicView(v);
  }

  async set(
    name: string,
    value: string,
    /** `space`: where a new variable goes (default `default`); an existing one stays where it is. */
    opts: { secret?: boolean; description?: string; space?: string | null },
  ): Promise<Variable> {
    checkVariableName(name);
    const before = await this.store.workspace.variable(name);
    // Once secret, a variable stays secret unless it is deleted: a PUT without `secret` keeps it sealed.
    const secret = opts.secret ?? before?.secret ?? false;
    const why = secret ? secretWeakness(value) : null;
    if (why)
      throw new SluiceError('invalid_argument', message('variable.secretRefused', { name, why }), {
        field: 'value',
      });
    // Another secret pasted into the description is kept as its reference, as in a job's text.
    const description = await this.reference(opts.description ?? before?.description ?? '');
    await this.store.workspace.saveVariable(
      { name, storedValue: secret ? this.box.seal(value) : value, secret, description },
      opts.space ?? undefined,
    );
    // The old value of a changed secret, or of one made plain, is ordinary text from now on.
    if (secret) rememberSecret(this, name, value);
    else forgetSecret(this, name);
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.store.workspace.deleteVariable(name)))
      throw notFound('variable', name, message('variable.notFound', { variable: name }));
    forgetSecret(this, name);
  }

  /**
   * Substitutes `${name}` in SQL and option values; a reference to an undefined name is an error. With
   * `space`, only that space's variables are defined: a job or a run never reads another space's
   * secrets.
   */
  async resolve(
    sql: string,
    options: Record<string, string> = {},
    space?: string | null,
  ): Promise<ResolvedScript> {
    const values = await this.values(space);
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
   * A JAR job's program arguments with `${name}` substituted in each, as SQL is: at submission only,
   * an argument naming an undefined variable refused with its place.
   */
  async resolveArgs(
    args: readonly string[],
    space?: string | null,
  ): Promise<{ args: string[]; used: string[]; secretsUsed: string[] }> {
    const values = await this.values(space);
    const used = new Set<string>();
    const out = args.map((a, i) => {
      const r = substitute(a, values.all);
      if (r.missing.length) throw missingVariableError({ argument: i + 1 }, r.missing);
      r.used.forEach((n) => used.add(n));
      return r.text;
    });
    return { args: out, used: [...used], secretsUsed: [...used].filter((n) => values.secret.has(n)) };
  }

  /** The first program argument (1-based) that names a variable the workspace does not have. */
  async undefinedInArgs(args: readonly string[]): Promise<{ argument: number; name: string } | null> {
    const names = new Set((await this.store.workspace.variables()).map((v) => v.name));
    for (const [i, a] of args.entries()) {
      const r = findReferences(a).find((x) => !names.has(x.name));
      if (r) return { argument: i + 1, name: r.name };
    }
    return null;
  }

  /** Program arguments with each pasted secret value as its reference, as in SQL and option values. */
  async referenceSecretsInArgs(args: readonly string[]): Promise<string[]> {
    const secrets = await this.secrets();
    return secrets.length ? args.map((a) => referenceSecrets(a, secrets).text) : [...args];
  }

  /**
   * For lineage, which must work on a script still being written and never needs a secret: plain
   * variables substituted in the script's names and in its option values (noting which variables each
   * value used); a secret's reference stays as written, so tables meet by it, never by its value.
   */
  async forLineage(space?: string | null): Promise<{
    script: (sql: string) => string;
    value: (value: string) => { text: string; variables: string[] };
  }> {
    const plain = new Map<string, string>();
    const secrets = new Set<string>();
    // With `space`, only its variables: a script's lineage shows no other space's values.
    const spaces = space ? await this.store.spaces.spacesOf('variable') : null;
    for (const v of await this.store.workspace.variables())
      if (spaces && spaces.get(v.name) !== space) continue;
      else if (v.secret) secrets.add(v.name);
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
    const secrets = await this.secrets();
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

  /** Free text (a description, a version message) with each pasted secret value as its reference. */
  async reference(text: string): Promise<string> {
    return text && referenceSecrets(text, await this.secrets()).text;
  }

  /**
   * Where in a value about to be stored (a job version's whole content) a secret's value still is:
   * each place by its path (`options` keys as `options[key]`), with the secret's name.
   */
  async secretsIn(value: unknown): Promise<{ path: string; key: string | null; variable: string }[]> {
    const secrets = (await this.secrets()).filter((s) => s.value.length >= 3);
    const found: { path: string; key: string | null; variable: string }[] = [];
    const look = (s: string, path: string, key: string | null) => {
      const hit = secrets.find((x) => s.includes(x.value));
      if (hit) found.push({ path, key, variable: hit.name });
    };
    const walk = (v: unknown, path: string) => {
      if (typeof v === 'string') look(v, path, null);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          look(k, path, k);
          walk(x, path ? `${path}.${k}` : k);
        }
    };
    walk(value, '');
    return found;
  }

  private async secrets(): Promise<{ name: string; value: string }[]> {
    const out: { name: string; value: string }[] = [];
    for (const v of await this.store.workspace.variables())
      if (v.secret) out.push({ name: v.name, value: this.box.open(v.storedValue, v.name) });
    return out;
  }

  /** What the API shows of a variable: never a secret's value; a weak secret's weakness. */
  private publicView(v: StoredVariable): Variable {
    const value = v.secret ? rememberedSecret(this, v.name) : undefined;
    const why = value === undefined ? null : secretWeakness(value);
    const warning: Message | null = why ? message('variable.secretWeak', { name: v.name, why }) : null;
    return {
      name: v.name,
      value: v.secret ? null : v.storedValue,
      secret: v.secret,
      description: v.description,
      warning: warning && renderMessage(warning),
      warningMessage: warning,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
    };
  }

  private async values(space?: string | null): Promise<{ all: Map<string, string>; secret: Set<string> }> {
    const all = new Map<string, string>();
    const secret = new Set<string>();
    const spaces = space ? await this.store.spaces.spacesOf('variable') : null;
    for (const v of await this.store.workspace.variables()) {
      if (spaces && spaces.get(v.name) !== space) continue;
      const value = v.secret ? this.box.open(v.storedValue, v.name) : v.storedValue;
      all.set(v.name, value);
      if (v.secret) {
        secret.add(v.name);
        rememberSecret(this, v.name, value);
      }
    }
    return { all, secret };
  }
}
