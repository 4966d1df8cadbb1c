/** Flink options edited as text, one `key=value` per line; blank lines and `#` comments are ignored. */
export function parseOptions(
  text: string,
): { ok: true; options: Record<string, string> } | { ok: false; error: string } {
  const options: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, error: `line ${i + 1}: write it as key=value` };
    options[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { ok: true, options };
}
