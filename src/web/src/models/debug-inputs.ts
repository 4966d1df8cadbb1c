import { planDebugRun } from '../../../domain/sql/debug-plan.ts';
import { splitStatements } from '../../../domain/sql/statements.ts';
import { parseCreateTable } from '../../../domain/sql/table-ddl.ts';

/**
 * What a debug run is asked for besides the SQL, as `sluice sql debug` takes it: a row limit, a time
 * limit, and rows given per source table as JSON or CSV instead of generated ones.
 */
export interface DebugSourceTable {
  name: string;
  /** The columns given rows fill, in order (a CSV line has one value per column, no header). */
  columns: string[];
}

/** The tables a debug run would generate rows for: the script's sources, as the server plans them. */
export function debugSourceTables(sql: string): DebugSourceTable[] {
  try {
    const plan = planDebugRun(sql, { rowsPerSecond: 1 });
    const columns = new Map<string, string[]>();
    for (const s of splitStatements(sql)) {
      const table = s.kind === 'ddl' ? parseCreateTable(s.text) : null;
      if (table)
        columns.set(
          table.name,
          table.columns.filter((c) => c.kind === 'physical').map((c) => c.name),
        );
    }
    return plan.tables
      .filter((t) => t.as !== 'left out')
      .map((t) => ({ name: t.name, columns: columns.get(t.name) ?? [] }));
  } catch {
    return []; // a script the plan cannot read is reported by the run itself
  }
}

export type RowsFormat = 'json' | 'csv';

export interface GivenRows {
  table: string | null;
  format: RowsFormat;
  text: string;
}

export type DebugSources = Record<string, { rows: Record<string, unknown>[] } | { csv: string }>;

/** A text key of the console (debug.given.*) and its values: what is wrong with given rows. */
export interface RowsProblem {
  key:
    | 'debug.given.noTable'
    | 'debug.given.notSource'
    | 'debug.given.twice'
    | 'debug.given.empty'
    | 'debug.given.notJson'
    | 'debug.given.notObject';
  values: Record<string, string | number>;
}

/** The `sources` of a debug run request, or the first problem of the rows given. */
export function debugSources(
  given: GivenRows[],
  tables: DebugSourceTable[],
): { ok: true; sources: DebugSources } | { ok: false; problem: RowsProblem } {
  const sources: DebugSources = {};
  for (const [i, g] of given.entries()) {
    const at = i + 1;
    if (!g.table) return fail('debug.given.noTable', { n: at });
    const table = g.table;
    if (!tables.some((t) => t.name === table))
      return fail('debug.given.notSource', {
        table,
        sources: tables.map((t) => t.name).join(', ') || '-',
      });
    if (sources[table]) return fail('debug.given.twice', { table });
    const text = g.text.trim();
    if (!text) return fail('debug.given.empty', { table });
    if (g.format === 'csv') {
      sources[table] = { csv: `${text}\n` };
      continue;
    }
    const rows = parseJsonRows(text);
    if ('error' in rows) return fail('debug.given.notJson', { table, ...rows.error });
    const bad = rows.rows.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r));
    if (bad >= 0) return fail('debug.given.notObject', { table, row: bad + 1 });
    sources[table] = { rows: rows.rows as Record<string, unknown>[] };
  }
  return { ok: true, sources };
}

/** The format a file's name says it holds (`.csv`; `.json`, `.jsonl`, `.ndjson`), else null. */
export function formatOfFile(fileName: string): RowsFormat | null {
  const ext = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1];
  if (ext === 'csv') return 'csv';
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return 'json';
  return null;
}

/** A JSON array of rows, or one JSON object per line (as the CLI reads a rows file). */
function parseJsonRows(text: string): { rows: unknown[] } | { error: { line: number; message: string } } {
  if (text.startsWith('[')) {
    try {
      const rows = JSON.parse(text) as unknown;
      return Array.isArray(rows) ? { rows } : { rows: [rows] };
    } catch (e) {
      return { error: { line: 1, message: (e as Error).message } };
    }
  }
  const rows: unknown[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      return { error: { line: i + 1, message: (e as Error).message } };
    }
  }
  return { rows };
}

function fail(key: RowsProblem['key'], values: RowsProblem['values']): { ok: false; problem: RowsProblem } {
  return { ok: false, problem: { key, values } };
}
