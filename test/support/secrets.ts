import { expect } from 'vitest';

/** Every string in a parsed JSON value, keys included. */
export function stringsIn(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => stringsIn(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      stringsIn(x, out);
    }
  return out;
}

/** A body that parses as JSON and holds none of the secret values in any string of it. */
export function expectCleanJson(body: string, secrets: readonly string[]): unknown {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(body)), body.slice(0, 300)).not.toThrow();
  for (const s of stringsIn(parsed)) for (const x of secrets) expect(s).not.toContain(x);
  return parsed;
}
