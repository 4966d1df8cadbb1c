/** `cat.db.t` as Flink SQL reads it: parts that are not plain identifiers are quoted with backticks. */
export function qualifiedName(parts: string[]): string {
  return parts
    .map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `\`${p.replace(/`/g, '``')}\``))
    .join('.');
}
