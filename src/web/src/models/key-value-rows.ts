/**
 * Rows of `key = value` pairs as a form edits them (a catalog's options, a Kubernetes target's Flink
 * options): what they save as, and which key is typed twice.
 */
export interface KeyValueRow {
  key?: string;
  value?: string;
}

/** The rows as a record: keys trimmed, rows without a key left out, a value kept as typed. */
export function recordOfRows(rows: readonly KeyValueRow[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (rows ?? []).filter((r) => r?.key?.trim()).map((r) => [r.key!.trim(), r.value ?? '']),
  );
}

/** The rows a record is edited in, in its order. */
export const rowsOfRecord = (record: Record<string, string> | undefined): KeyValueRow[] =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));

/** Whether `key` (trimmed) is in more than one row. */
export function keyTypedTwice(rows: readonly KeyValueRow[] | undefined, key: string | undefined): boolean {
  const k = key?.trim();
  return !!k && (rows ?? []).filter((r) => r?.key?.trim() === k).length > 1;
}
