import { invalid } from '../errors.ts';
import { message, type Message } from '../messages.ts';

/**
 * Workspace variables: `${name}` in a job's SQL and options is replaced by the variable's value when
 * the job is submitted (or planned, or debugged). A secret variable's value is only ever substituted
 * there; everywhere else it is masked.
 */
export interface Variable {
  name: string;
  /** null when the variable is secret: the value never leaves the platform. */
  value: string | null;
  secret: boolean;
  description: string;
  /** What is wrong with a secret saved before weak values were refused (it is kept, and masked). */
  warning: string | null;
  warningMessage: Message | null;
  createdAt: string;
  updatedAt: string;
}

export interface VariableReference {
  name: string;
  line: number;
  column: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const REFERENCE = /\$\{([^}\s]*)\}/g;

/** What a masked secret looks like wherever it would have appeared. */
export const MASK = '******';

export function checkVariableName(name: string): void {
  if (!NAME.test(name)) throw invalid('name', message('variable.badName', { name }));
}

/** Every `${name}` in the text, with its 1-based line and column. */
export function findReferences(text: string): VariableReference[] {
  const out: VariableReference[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  for (const m of text.matchAll(REFERENCE)) {
    let line = lineStarts.length - 1;
    while (lineStarts[line]! > m.index) line--;
    out.push({ name: m[1]!, line: line + 1, column: m.index - lineStarts[line]! + 1 });
  }
  return out;
}

/** The text with each `${name}` replaced; `missing` lists references to names that have no value. */
export function substitute(
  text: string,
  values: ReadonlyMap<string, string>,
): { text: string; missing: VariableReference[]; used: string[] } {
  const missing = findReferences(text).filter((r) => !values.has(r.name));
  const used = new Set<string>();
  const out = text.replace(REFERENCE, (whole, name: string) => {
    const v = values.get(name);
    if (v === undefined) return whole;
    used.add(name);
    return v;
  });
  return { text: out, missing, used: [...used] };
}

/**
 * `substitute` outside SQL string literals and comments only: a script's names and numbers written as
 * `${name}` are resolved, while the literals are left for a reader that resolves them itself and keeps
 * track of which variables each used (lineage).
 */
export function substituteOutsideStrings(sql: string, values: ReadonlyMap<string, string>): string {
  let out = '';
  let from = 0;
  const flush = (to: number) => {
    out += substitute(sql.slice(from, to), values).text;
  };
  const verbatim = (start: number, end: number) => {
    flush(start);
    out += sql.slice(start, end);
    from = end;
  };
  for (let i = 0; i < sql.length;) {
    if (sql[i] === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      verbatim(i, Math.min(j + 1, sql.length));
      i = from;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      verbatim(i, end < 0 ? sql.length : end);
      i = from;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      verbatim(i, end < 0 ? sql.length : end + 2);
      i = from;
    } else i++;
  }
  flush(sql.length);
  return out;
}

/**
 * How lineage reads an option value: plain variables resolved, a secret's reference kept as written
 * (its value must never reach lineage, which is shown to anyone), and the names of the variables used.
 */
export function lineageValue(
  plain: ReadonlyMap<string, string>,
  secrets: ReadonlySet<string>,
): (value: string) => { text: string; variables: string[] } {
  return (value) => {
    const names = findReferences(value)
      .map((r) => r.name)
      .filter((n) => plain.has(n) || secrets.has(n));
    return { text: substitute(value, plain).text, variables: [...new Set(names)] };
  };
}

/** The first missing reference as the error a user reads: which name, where, how to fix it. */
export function missingVariableError(where: string | { argument: number }, missing: VariableReference[]) {
  const m = missing[0]!;
  const place =
    typeof where !== 'string'
      ? message('variable.atArgument', { argument: where.argument })
      : where === 'sql'
        ? message('variable.atLine', { line: m.line, column: m.column })
        : message('variable.atOption', { option: where });
  return invalid(
    typeof where !== 'string' ? 'args' : where === 'sql' ? 'sql' : 'options',
    missing.length > 1
      ? message('variable.undefinedMore', { name: m.name, place, more: missing.length - 1 })
      : message('variable.undefined', { name: m.name, place }),
  );
}

/**
 * Replaces every occurrence of a secret value with the mask. Longer values first, so a secret that
 * contains another is masked whole.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length))
    if (s.length >= 3) out = out.split(s).join(MASK);
  return out;
}

/** A secret value pasted into SQL is replaced by a reference to its variable before the SQL is stored. */
export function referenceSecrets(
  text: string,
  secrets: readonly { name: string; value: string }[],
): { text: string; replaced: string[] } {
  let out = text;
  const replaced: string[] = [];
  for (const s of [...secrets].sort((a, b) => b.value.length - a.value.length))
    if (s.value.length >= 3 && out.includes(s.value)) {
      out = out.split(s.value).join(`\${${s.name}}`);
      replaced.push(s.name);
    }
  return { text: out, replaced };
}
