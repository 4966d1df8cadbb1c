import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { parseSet, splitStatements, statementSetInserts, type SqlStatement } from './statements.ts';
import { applyLike, parseCreateTable, type CreateTable, type DeclaredColumn } from './table-ddl.ts';
import { closing, readName, tokenize } from './tokens.ts';

/**
 * A debug run executes a job's SQL unchanged except at its edges: every source table is re-declared
 * (same columns, computed columns and watermark) over `datagen` or over rows the user gave, every
 * sink is left out and each INSERT becomes the SELECT it would have written, whose rows the SQL
 * Gateway streams back. Nothing the script names as a sink is ever created, so nothing can be written.
 */
export interface DebugPlan {
  /** Statements to run first, in order: options, functions, catalogs, re-declared sources, views. */
  /** `sandboxSource`: a source table as re-declared for the sandbox, not as written. */
  setup: { line: number; column: number; statement: string; sandboxSource?: true }[];
  /** One SELECT per INSERT (and per query of the script): each is one sandbox job. */
  queries: DebugQuery[];
  tables: { name: string; line: number; as: 'datagen' | 'rows' | 'left out'; reason: string }[];
  notes: string[];
}

export interface DebugQuery {
  /** The sink it replaces, or `query at line N`. */
  sink: string;
  /** Where the SELECT starts in the script. */
  line: number;
  column: number;
  select: string;
  /** The sink's column names when the script declares them; otherwise the query's own. */
  columns: string[] | null;
}

/** Per source table: options merged into its datagen options, or a file of rows to read instead. */
export interface DebugSourceInput {
  options?: Record<string, string>;
  rowsFile?: { path: string; format: 'json' | 'csv' };
}

export interface DebugPlanOptions {
  rowsPerSecond: number;
  sources?: Record<string, DebugSourceInput>;
}

export function planDebugRun(script: string, opts: DebugPlanOptions): DebugPlan {
  const statements = splitStatements(script).flatMap((s) =>
    s.kind === 'statement_set' ? statementSetInserts(s) : [s],
  );
  const creates = new Map<string, { stmt: SqlStatement; table: CreateTable }>();
  const writes: { stmt: SqlStatement; target: string; columns: string[] | null; query: string }[] = [];
  const reads = new Set<string>();
  // Tables as Flink builds them: a LIKE table has its base's columns and watermark too.
  const tables = new Map<SqlStatement, CreateTable>();
  for (const stmt of statements) {
    const read = stmt.kind === 'ddl' ? parseCreateTable(stmt.text) : null;
    const base = read?.like ? creates.get(read.like)?.table : undefined;
    const table = read && base ? { ...read, ...applyLike(read, base) } : read;
    if (table) {
      tables.set(stmt, table);
      creates.set(table.name, { stmt, table });
      if (table.asQuery) {
        writes.push({ stmt, target: table.name, columns: null, query: table.asQuery });
        namesIn(table.asQuery).forEach((n) => reads.add(n));
      }
      if (table.like) reads.add(table.like);
    } else if (stmt.kind === 'insert') {
      const insert = parseInsert(stmt.text);
      if (!insert) throw invalid('sql', message('debug.unreadableInsert', { line: stmt.line }));
      writes.push({ stmt, ...insert });
      namesIn(insert.query).forEach((n) => reads.add(n));
    } else {
      namesIn(stmt.text).forEach((n) => reads.add(n));
    }
  }
  for (const name of Object.keys(opts.sources ?? {}))
    if (!creates.has(name)) throw invalid('sources', message('debug.rowsForUnknownTable', { table: name }));

  const plan: DebugPlan = { setup: [], queries: [], tables: [], notes: [] };
  const isRead = (name: string) => reads.has(name) || reads.has(name.split('.').at(-1)!);
  for (const stmt of statements) {
    const table = tables.get(stmt);
    if (table) {
      if (table.asQuery || !isRead(table.name)) {
        plan.tables.push({
          name: table.name,
          line: stmt.line,
          as: 'left out',
          reason: 'only written: its rows are collected instead',
        });
        continue;
      }
      const input = opts.sources?.[table.name];
      const columns = table.columns;
      if (!columns.length)
        throw invalid('sql', message('debug.noColumns', { line: stmt.line, table: table.name }));
      const watermark = table.watermark;
      plan.setup.push({
        line: stmt.line,
        column: stmt.column,
        statement: sandboxSource(table.name, columns, watermark, input, opts),
        sandboxSource: true,
      });
      plan.tables.push({
        name: table.name,
        line: stmt.line,
        as: input?.rowsFile ? 'rows' : 'datagen',
        reason: input?.rowsFile
          ? `reads the ${input.rowsFile.format.toUpperCase()} rows given for it`
          : `generates rows of its ${columns.length} columns at ${opts.rowsPerSecond} rows per second`,
      });
      continue;
    }
    if (stmt.kind === 'insert') continue;
    if (stmt.kind === 'query') {
      plan.queries.push({
        sink: `query at line ${stmt.line}`,
        line: stmt.line,
        column: stmt.column,
        select: stmt.text,
        columns: null,
      });
      continue;
    }
    const set = stmt.kind === 'set' ? parseSet(stmt.text) : undefined;
    if (stmt.kind === 'set' && !set) continue;
    if (set && !appliesInDebugRun(set[0])) {
      plan.notes.push(
        `line ${stmt.line}: '${set[0]}' is not applied in a debug run, so rows show as they come`,
      );
      continue;
    }
    if (['begin_statement_set', 'end', 'statement_set', 'other'].includes(stmt.kind)) continue;
    if (/^\s*(ALTER|DROP)\s+TABLE\b/i.test(stmt.text)) {
      plan.notes.push(`line ${stmt.line}: ALTER/DROP TABLE is not run in a debug run`);
      continue;
    }
    plan.setup.push({ line: stmt.line, column: stmt.column, statement: stmt.text });
  }
  for (const w of writes) {
    const sink = creates.get(w.target)?.table;
    const declared = sink?.columns.filter(
      (c) => c.kind === 'physical' || (c.kind === 'metadata' && !c.virtual),
    );
    plan.queries.push({
      sink: w.target,
      ...positionOf(w.stmt, w.query),
      select: w.query,
      columns: w.columns ?? (declared?.length ? declared.map((c) => c.name) : null),
    });
  }
  plan.queries.sort((a, b) => a.line - b.line);
  if (!plan.queries.length) throw invalid('sql', message('debug.nothingToShow'));
  return plan;
}

/**
 * Checkpoint and state settings are left out of a debug run, from the script and from the job's
 * options alike: a checkpointed query shows its rows only after each checkpoint, a debug run wants
 * them at once.
 */
export const appliesInDebugRun = (optionKey: string): boolean =>
  !/^(execution\.checkpointing\.|state\.)/.test(optionKey);

/** Integer keys in 1..10 so that joins and aggregations meet; short strings to stay readable. */
function datagenOptions(columns: DeclaredColumn[], rowsPerSecond: number): Record<string, string> {
  const o: Record<string, string> = { connector: 'datagen', 'rows-per-second': String(rowsPerSecond) };
  for (const c of columns) {
    if (c.kind !== 'physical') continue;
    const type = c.type.toUpperCase();
    const f = `fields.${c.name}`;
    if (/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT)\b/.test(type)) {
      o[`${f}.min`] = '1';
      o[`${f}.max`] = '10';
    } else if (/^(DECIMAL|DEC|NUMERIC|FLOAT|DOUBLE|REAL)\b/.test(type)) {
      o[`${f}.min`] = '1';
      o[`${f}.max`] = '100';
    } else if (/^(STRING|VARCHAR|CHAR)\b/.test(type)) {
      const declared = /\((\d+)\)/.exec(type);
      // CHAR(n) rows must be exactly n long; others are kept short.
      o[`${f}.length`] = String(
        type.startsWith('CHAR') && declared ? Number(declared[1]) : Math.min(6, Number(declared?.[1] ?? 6)),
      );
    }
  }
  return o;
}

function sandboxSource(
  name: string,
  columns: DeclaredColumn[],
  watermark: string | null,
  input: DebugSourceInput | undefined,
  opts: DebugPlanOptions,
): string {
  const defs = columns.map((c) => {
    if (c.kind !== 'metadata') return c.text;
    // Metadata comes from the real connector; in the sandbox it is a value of the same type.
    const type = c.type.trim();
    const value = /^TIMESTAMP_LTZ/i.test(type)
      ? 'CURRENT_TIMESTAMP'
      : /^TIMESTAMP/i.test(type)
        ? 'LOCALTIMESTAMP'
        : 'NULL';
    return `${quote(c.name)} AS CAST(${value} AS ${type})`;
  });
  if (watermark) defs.push(watermark);
  const options = input?.rowsFile
    ? {
        connector: 'filesystem',
        path: input.rowsFile.path,
        format: input.rowsFile.format,
        ...(input.rowsFile.format === 'json' ? { 'json.ignore-parse-errors': 'false' } : {}),
      }
    : { ...datagenOptions(columns, opts.rowsPerSecond), ...(input?.options ?? {}) };
  const withClause = Object.entries(options)
    .map(([k, v]) => `  '${k.replace(/'/g, "''")}' = '${v.replace(/'/g, "''")}'`)
    .join(',\n');
  return `CREATE TEMPORARY TABLE ${name
    .split('.')
    .map(quote)
    .join('.')} (\n  ${defs.join(',\n  ')}\n) WITH (\n${withClause}\n)`;
}

/** Where `part` (a piece of the statement's text) starts in the script. */
function positionOf(stmt: SqlStatement, part: string): { line: number; column: number } {
  const before = stmt.text.slice(0, Math.max(0, stmt.text.indexOf(part))).split('\n');
  return before.length === 1
    ? { line: stmt.line, column: stmt.column + before[0]!.length }
    : { line: stmt.line + before.length - 1, column: before.at(-1)!.length + 1 };
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** `INSERT INTO|OVERWRITE t [PARTITION (...)] [(a, b)] query`. */
export function parseInsert(
  text: string,
): { target: string; columns: string[] | null; query: string } | null {
  const tokens = tokenize(text);
  if (tokens[0]?.value !== 'INSERT' || !['INTO', 'OVERWRITE'].includes(tokens[1]?.value ?? '')) return null;
  const name = readName(tokens, 2);
  if (!name) return null;
  let i = name.next;
  if (tokens[i]?.value === 'PARTITION' && tokens[i + 1]?.text === '(') i = closing(tokens, i + 1) + 1;
  let columns: string[] | null = null;
  if (tokens[i]?.text === '(' && !['SELECT', 'WITH', 'VALUES', '('].includes(tokens[i + 1]?.value ?? '')) {
    const end = closing(tokens, i);
    columns = tokens
      .slice(i + 1, end)
      .filter((t) => t.text !== ',')
      .map((t) => (t.kind === 'quoted' ? t.value : t.text));
    i = end + 1;
  }
  const start = tokens[i]?.start;
  if (start === undefined) return null;
  return { target: name.name, columns, query: text.slice(start).trim() };
}

/** Every name a statement mentions: over-approximates the tables it reads, which is what is needed. */
function namesIn(text: string): string[] {
  const tokens = tokenize(text);
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.kind !== 'word' && tokens[i]!.kind !== 'quoted') continue;
    const n = readName(tokens, i);
    if (!n) continue;
    names.push(n.name, n.name.split('.').at(-1)!);
    i = n.next - 1;
  }
  return names;
}
