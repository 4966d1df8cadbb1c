/**
 * A JAR job's program arguments written as one line (the CLI's `--args`, the console's field): split
 * at spaces, a quoted part ('...' or "...") kept whole, a backslash keeps the next character. One
 * rule, so that what the console shows is what the CLI would send.
 */
export function splitArgs(text: string): { ok: true; args: string[] } | { ok: false; quote: string } {
  const out: string[] = [];
  let cur = '';
  let word = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i];
      word = true;
    } else if (/\s/.test(ch)) {
      if (word) out.push(cur);
      cur = '';
      word = false;
    } else {
      cur += ch;
      word = true;
    }
  }
  if (quote) return { ok: false, quote };
  if (word) out.push(cur);
  return { ok: true, args: out };
}

/** Arguments as they would be typed back (the inverse of splitArgs): quoted when they hold spaces or quotes. */
export const joinArgs = (args: readonly string[]): string =>
  args.map((a) => (/^[^\s'"\\]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
