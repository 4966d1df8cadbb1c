import type { LoggerOptions } from 'pino';
import { MASK } from '../domain/workspace/variables.ts';

/**
 * The secret values this process knows now, by owner (a platform's variables) and variable name, so
 * that anything leaving the process (API answers, event streams, logs, stored submission logs and
 * error messages) can be masked even where no service is at hand. A secret that is deleted, changed
 * or made plain is forgotten: its old value is ordinary text again.
 */
const byOwner = new Map<object, Map<string, string>>();
/** The distinct values, longest first; rebuilt when a secret is remembered or forgotten. */
let values: string[] = [];
/** Those masked: shorter ones (only secrets saved before the rule) would hide almost any text. */
let masked: string[] = [];

function rebuild(): void {
  const all = new Set<string>();
  for (const secrets of byOwner.values()) for (const v of secrets.values()) all.add(v);
  values = [...all].sort((a, b) => b.length - a.length);
  masked = values.filter((v) => v.length >= 3);
}

export function rememberSecret(owner: object, name: string, value: string): void {
  let secrets = byOwner.get(owner);
  if (!secrets) byOwner.set(owner, (secrets = new Map()));
  if (secrets.get(name) === value) return;
  secrets.set(name, value);
  rebuild();
}

export function forgetSecret(owner: object, name: string): void {
  if (byOwner.get(owner)?.delete(name)) rebuild();
}

/** Forgets every secret of an owner (a platform that closes). */
export function forgetSecretsOf(owner: object): void {
  if (byOwner.delete(owner)) rebuild();
}

/** The value remembered for an owner's secret, if it is known. */
export function rememberedSecret(owner: object, name: string): string | undefined {
  return byOwner.get(owner)?.get(name);
}

/** The secret values themselves, for masking that must find them inside values (the Flink UI proxy). */
export function knownSecretValues(): string[] {
  return values;
}

/**
 * One string with every known secret masked (longest first, so that a secret holding another is
 * masked whole): a value, never a serialized document.
 */
export function maskKnownSecrets(text: string): string {
  let out = text;
  for (const s of masked) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** Whether any string in a value (keys included) holds a secret: most values hold none, and are not copied. */
function holdsSecret(value: unknown, seen: Set<object>): boolean {
  if (typeof value === 'string') return masked.some((s) => value.includes(s));
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((x) => holdsSecret(x, seen));
  if (value instanceof Error)
    return Object.getOwnPropertyNames(value).some((k) =>
      holdsSecret((value as unknown as Record<string, unknown>)[k], seen),
    );
  if (!isPlain(value)) return false;
  for (const [k, x] of Object.entries(value)) if (holdsSecret(k, seen) || holdsSecret(x, seen)) return true;
  return false;
}

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * A value with every string in it masked, keys included, so that the structure stays whole whatever
 * the secret looks like (quotes, backslashes, a word that is also a key). Arrays, plain objects and
 * errors are copied; other objects are left to their own serialization, or with `instances` given
 * into how they are read (the log's request objects). `changed` says whether anything was masked.
 */
function maskDeep(
  value: unknown,
  opts: { instances?: (o: object) => object } = {},
): { value: unknown; changed: boolean } {
  let changed = false;
  const seen = new Map<object, unknown>();
  const text = (s: string) => {
    const m = maskKnownSecrets(s);
    if (m !== s) changed = true;
    return m;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (v instanceof Error) {
      // The same kind of error, its own properties (message, stack, cause...) masked and as
      // enumerable as they were, so that serializers read it as they read the original.
      const out = Object.create(Object.getPrototypeOf(v) as object) as Error;
      seen.set(v, out);
      for (const k of Object.getOwnPropertyNames(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k)!;
        Object.defineProperty(out, k, 'value' in d ? { ...d, value: walk(d.value) } : d);
      }
      return out;
    }
    if (!isPlain(v)) {
      if (!opts.instances) return v;
      changed = true;
      return opts.instances(v);
    }
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    seen.set(v, out);
    // Defined, not assigned: a key "__proto__" from a request body stays a key.
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, text(k), {
        value: walk(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };
  if (!masked.length || (!opts.instances && !holdsSecret(value, new Set()))) return { value, changed };
  const out = walk(value);
  return { value: changed ? out : value, changed };
}

/** A value (a row, a plan, a report, an event) with every secret in its strings masked. */
export function maskSecretsIn<T>(value: T): T {
  return maskDeep(value).value as T;
}

/** A string, or a URL whose percent-encoding spells a secret, masked (decoded where it did). */
function maskRead(v: string): string {
  const m = maskKnownSecrets(v);
  if (m !== v || !v.includes('%')) return m;
  let decoded: string;
  try {
    decoded = decodeURIComponent(v);
  } catch {
    return m;
  }
  const d = maskKnownSecrets(decoded);
  return d === decoded ? m : d;
}

/**
 * How an object of some class (fastify's request in "incoming request") is read by the log's
 * serializers: each string property it gives is masked, its URL as it was sent and as it decodes.
 */
const maskedReads = (o: object): object =>
  new Proxy(o, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'string' ? maskRead(v) : v;
    },
  });

/**
 * Options for the platform's pino logger: each log call's arguments (its message, the values that
 * fill it, its fields and errors) are masked before pino formats the line, so that the line is
 * always one whole JSON object and no escaping can hide a secret from the masking.
 */
export const maskingLogOptions: Pick<LoggerOptions, 'hooks'> = {
  hooks: {
    logMethod(args, method) {
      if (!masked.length) return method.apply(this, args);
      const clean = args.map((a) => maskDeep(a, { instances: maskedReads }).value);
      return method.apply(this, clean as Parameters<typeof method>);
    },
  },
};
