import { decodeHTML } from 'entities';
import { MASK, maskSecrets } from '../domain/workspace/variables.ts';
import { knownSecretValues } from './secret-masking.ts';

/** An HTML character reference, or the line break Flink writes for "\n", or one character. */
const UNIT = /&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|<br\/>|[\s\S]/g;

/**
 * One string from Flink with every secret masked, as it is written and as Flink renders it: the plan
 * of a job (in /jobs/<id> and /jobs/<id>/plan) carries its operators' descriptions HTML-escaped
 * (`"` as `&quot;`, `\` as `&#92;`, `é` as `&eacute;`, a line break as `<br/>`), so a secret with such
 * a character is looked for in the decoded text too and the references that spell it are replaced.
 */
export function maskFlinkString(s: string, secrets: readonly string[]): string {
  const raw = maskSecrets(s, secrets);
  if (!raw.includes('&') && !raw.includes('<br/>')) return raw;
  const candidates = secrets.filter((x) => x.length >= 3).sort((a, b) => b.length - a.length);
  const whole = decodeHTML(raw.replaceAll('<br/>', '\n'));
  if (!candidates.some((x) => whole.includes(x))) return raw;

  // Decode unit by unit, remembering which unit each decoded character came from.
  const units = raw.match(UNIT) ?? [];
  let decoded = '';
  const unitAt: number[] = [];
  units.forEach((u, i) => {
    const d = u === '<br/>' ? '\n' : u.length > 1 && u.startsWith('&') ? decodeHTML(u) : u;
    decoded += d;
    for (let k = 0; k < d.length; k++) unitAt.push(i);
  });
  // Units [from, to] that spell a secret, longest secrets first, never overlapping.
  const spans = new Map<number, number>();
  const covered = new Set<number>();
  for (const x of candidates)
    for (let at = decoded.indexOf(x); at >= 0; at = decoded.indexOf(x, at + x.length)) {
      const from = unitAt[at] as number;
      const to = unitAt[at + x.length - 1] as number;
      let free = true;
      for (let i = from; i <= to && free; i++) free = !covered.has(i);
      if (!free) continue;
      for (let i = from; i <= to; i++) covered.add(i);
      spans.set(from, to);
    }
  let out = '';
  for (let i = 0; i < units.length; i++) {
    const to = spans.get(i);
    if (to === undefined) out += units[i];
    else {
      out += MASK;
      i = to;
    }
  }
  return out;
}

/**
 * A JSON value with every string that holds a secret masked, keys included: the secret is replaced
 * inside the value, so the structure stays whole whatever the secret looks like (quotes, backslashes,
 * a word that is also a key). `masked` says whether anything changed.
 */
export function maskJsonValue(
  value: unknown,
  mask: (s: string) => string,
): { value: unknown; masked: boolean } {
  let masked = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = mask(v);
      if (m !== v) masked = true;
      return m;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      // No prototype: a key "__proto__" from Flink stays a key.
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, x] of Object.entries(v)) out[walk(k) as string] = walk(x);
      return out;
    }
    return v;
  };
  const out = walk(value);
  return { value: out, masked };
}

/**
 * A body from Flink on its way to the browser through /flink/<cluster>/, with the secrets this
 * process knows masked: JSON value by value; plain text (log and stdout files) as the one value it
 * is; anything else (the Web UI's HTML, scripts, styles, images) as it came. A body with nothing to
 * mask leaves byte for byte as Flink sent it, so numbers beyond 2^53 keep their digits.
 */
export function maskFlinkBody(
  contentType: string | null,
  body: Buffer,
  secrets: readonly string[] = knownSecretValues(),
): Buffer {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const json = type === 'application/json' || type.endsWith('+json');
  if (!secrets.length || (!json && type !== 'text/plain')) return body;
  const text = body.toString('utf8');
  // Escaping (JSON's or HTML's) never splits a run of ASCII letters and digits: a body without the
  // longest such run of any secret holds no secret in any form, and passes without being parsed.
  const traces = secrets.map((x) =>
    (x.match(/[A-Za-z0-9]+/g) ?? ['']).reduce((a, b) => (b.length > a.length ? b : a)),
  );
  if (!traces.some((t) => !t || text.includes(t))) return body;
  const mask = (s: string) => maskFlinkString(s, secrets);
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const m = maskJsonValue(parsed, mask);
      return m.masked ? Buffer.from(JSON.stringify(m.value), 'utf8') : body;
    }
  }
  const masked = mask(text);
  return masked === text ? body : Buffer.from(masked, 'utf8');
}
