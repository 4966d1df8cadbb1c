/**
 * Table and column lineage of a Flink SQL script: which tables a script declares, reads and writes, the
 * external data behind them, and for every INSERT which source columns each sink column derives from.
 *
 * This is a small tokenizer and a forgiving recursive-descent reading of the parts of Flink SQL that
 * carry lineage, not a parser of the full grammar: dt-sql-parser is too slow for scripts of thousands
 * of lines and rejects newer syntax. Whatever cannot be understood is skipped and reported in `notes`;
 * the analysis never throws.
 */
import { splitStatements, statementSetInserts, stripComments, type SqlStatement } from './statements.ts';
import { applyLike, readCreateTable, type CreateTable, type DeclaredColumn } from './table-ddl.ts';
import { matchBrackets, tokenize, type Token as Tok } from './tokens.ts';

export interface LineageTable {
  /** As written, unquoted (backticks removed), e.g. 'orders' or 'cat.db.orders'. */
  name: string;
  /** undeclared: used but not created in this script (a catalog table). */
  kind: 'table' | 'view' | 'undeclared';
  /** Where it is declared. */
  line: number | null;
  /** WITH ('connector' = ...). */
  connector: string | null;
  /**
   * The options that identify the external data: kafka/upsert-kafka: topic, topic-pattern,
   * properties.bootstrap.servers; jdbc: url, table-name; filesystem: path; elasticsearch-*: hosts, index;
   * hbase-*: table-name, zookeeper.quorum; mongodb: uri, database, collection; print/blackhole/datagen:
   * none. Options whose key contains password/secret/token are never included.
   */
  identity: Record<string, string>;
  /**
   * A key that is equal for the same external data in two different scripts, or null when the table is
   * not external (datagen, print, blackhole, views, undeclared): e.g.
   * 'kafka://broker1:9092,broker2:9092/orders' (brokers sorted), 'jdbc:postgresql://h:5432/db#public.orders',
   * 'filesystem:file:///tmp/out'. upsert-kafka uses the same 'kafka://' form as kafka.
   */
  resource: string | null;
  /**
   * Which workspace variables each identity option was written with, e.g. { path: ['base'] } for
   * `'path' = '${base}/orders'`; absent when none. The identity holds the resolved value (a secret's
   * reference stays as written: its value is never put into lineage).
   */
  variables?: Record<string, string[]>;
  /** Declared columns; computed/metadata (`x AS expr`, `METADATA`) marked computed. */
  columns: { name: string; type: string; computed?: boolean }[];
  /** Read by some query of the script. */
  reads: boolean;
  /** Target of an INSERT. */
  writes: boolean;
}

export interface ColumnOrigin {
  table: string;
  column: string;
}

export interface LineageWrite {
  /** Target table name. */
  sink: string;
  /** Line of the INSERT statement (inside a statement set: the INSERT's own line). */
  line: number;
  /** First line of the statement, max 120 chars. */
  statement: string;
  /** Base tables (views resolved transitively) the INSERT reads. */
  sources: string[];
  /** Views it goes through. */
  via: string[];
  /** Sink column -> source columns it is derived from; empty list = a constant/derived from nothing. */
  columns: { column: string; from: ColumnOrigin[]; expression: string }[];
}

export interface ScriptLineage {
  tables: LineageTable[];
  writes: LineageWrite[];
  /** What could not be derived, in plain words. */
  notes: { line: number; message: string }[];
}

/** Resolves the `${name}` references of an option value, naming the variables it used. */
export type ResolveValue = (value: string) => { text: string; variables: string[] };

/** `resolve` reads the WITH options: tables then meet across scripts by their resolved data. */
export function analyzeLineage(script: string, resolve?: ResolveValue): ScriptLineage {
  const analyzer = new Analyzer(resolve);
  let statements: SqlStatement[] = [];
  try {
    statements = splitStatements(typeof script === 'string' ? script : '');
  } catch (e) {
    analyzer.note(1, `the script could not be split into statements (${errorText(e)})`);
  }
  for (const st of statements) {
    if (st.kind === 'statement_set') {
      const inner = statementSetInserts(st);
      if (!inner.length) analyzer.note(st.line, 'could not read the INSERTs of this statement set');
      for (const ins of inner) analyzer.run(ins);
    } else analyzer.run(st);
  }
  return analyzer.result();
}

// ---------------------------------------------------------------------------------------------------
// Keywords

const words = (s: string) => new Set(s.trim().split(/\s+/));

/** Reserved words: never a column reference unless quoted (Flink requires backticks for them). */
const HARD = words(`
  ALL AND ANY ARRAY AS ASYMMETRIC AT BETWEEN BOTH BY CASE CAST CROSS CUBE CURRENT CURRENT_CATALOG
  CURRENT_DATE CURRENT_PATH CURRENT_ROLE CURRENT_ROW CURRENT_SCHEMA CURRENT_TIME CURRENT_TIMESTAMP
  CURRENT_USER DATE DAY DEFAULT DEFINE DISTINCT ELSE EMPTY END ESCAPE EXCEPT EXISTS FALSE FETCH FILTER
  FINAL FOR FROM FULL GROUP GROUPING HAVING HOUR IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL
  LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP MAP MATCH_RECOGNIZE MEASURES MINUS MINUTE MONTH
  MULTISET NATURAL NOT NULL OF OFFSET ON OR ORDER OUTER OVER PARTITION PATTERN PER PLACING RANGE RIGHT
  ROLLUP ROW ROWS RUNNING SECOND SELECT SET SIMILAR SKIP SOME SYMMETRIC SYSTEM_TIME TABLE THEN TIME
  TIMESTAMP TO TRAILING TRUE UESCAPE UNION UNKNOWN UNNEST USING VALUE VALUES WHEN WHERE WINDOW WITH
  WITHIN WITHOUT YEAR QUALIFY SESSION_USER SYSTEM_USER USER
`);

/** Keywords that may also be column names: ignored quietly when no relation has such a column. */
const SOFT = words(`
  ASC DESC NULLS FIRST LAST PRECEDING FOLLOWING UNBOUNDED WEEK QUARTER MILLISECOND MICROSECOND NANOSECOND
  EPOCH DOW DOY ISODOW ISOYEAR DECADE CENTURY MILLENNIUM YEARS MONTHS DAYS HOURS MINUTES SECONDS
  RETURNING ERROR KEY ABSENT WRAPPER CONDITIONAL UNCONDITIONAL JSON FORMAT ENCODING UTF8 UTF16 UTF32
  ORDINALITY STRING BYTES INT INTEGER BIGINT SMALLINT TINYINT BOOLEAN DOUBLE FLOAT REAL DECIMAL DEC NUMERIC
  CHAR CHARACTER VARCHAR BINARY VARBINARY TIMESTAMP_LTZ RAW LOCAL ZONE PRECISION VARYING PAST NEXT
  PROCTIME ROWTIME X
`);

/** Reserved words that can end an expression, so a word after them is an implicit alias. */
const EXPR_END = words(`
  END NULL TRUE FALSE UNKNOWN YEAR MONTH DAY HOUR MINUTE SECOND CURRENT_TIMESTAMP CURRENT_DATE
  CURRENT_TIME LOCALTIME LOCALTIMESTAMP CURRENT_ROW CURRENT_USER
`);

const CLAUSE_AFTER_FROM = words('WHERE GROUP HAVING WINDOW ORDER LIMIT OFFSET FETCH QUALIFY');
const JOIN_WORDS = words('NATURAL LEFT RIGHT FULL INNER OUTER CROSS JOIN');
const SET_OPS = words('UNION INTERSECT EXCEPT MINUS');
const QUERY_START = words('SELECT WITH VALUES');
const FROM_OR_CLAUSE = new Set(['FROM', ...CLAUSE_AFTER_FROM]);
const AS_WORD = new Set(['AS']);
const SELECT_OR_VALUES = new Set(['SELECT', 'VALUES']);
const WINDOW_TVFS = words('TUMBLE HOP CUMULATE SESSION');
const MR_CLAUSES = words('PARTITION ORDER MEASURES ONE ALL AFTER PATTERN SUBSET DEFINE WITHIN');
/** Statements that carry no lineage and are skipped without a note. */
const QUIET_OTHER = words('SHOW DESCRIBE DESC EXPLAIN HELP QUIT EXIT CLEAR ANALYZE CALL STOP');

// ---------------------------------------------------------------------------------------------------
// Relations

/** `table \0 column`: a base-table column a value derives from. */
type OriginSet = Set<string>;
const SEP = '\u0000';
const originKey = (table: string, column: string) => table + SEP + column;
const EMPTY: OriginSet = new Set();

interface Col {
  name: string;
  origins: OriginSet;
  /** How the column is computed, as written where it was last computed. */
  expr: string;
}

/** A query result or a table: its columns and the base tables and views behind it. */
interface Relation {
  /** null when not known (a table not declared in this script, `SELECT *` over one). */
  columns: Col[] | null;
  /** What a column of that name derives from, for a relation whose columns are not known. */
  unknown: (name: string) => OriginSet;
  tables: Set<string>;
  views: Set<string>;
}

interface ScopeRel extends Relation {
  /** Lower-cased names it can be qualified with. */
  qualifiers: string[];
  /** Pattern variables of MATCH_RECOGNIZE (`A.price`) all qualify the one input. */
  anyQualifier: boolean;
  label: string;
}

interface Scope {
  rels: ScopeRel[];
  parent: Scope | null;
  /** Columns of JOIN ... USING: in several relations without being ambiguous. */
  using: Set<string>;
}

type Ctes = Map<string, Relation & { label: string }>;

interface Acc {
  tables: Set<string>;
  views: Set<string>;
}

const emptyRelation = (): Relation => ({
  columns: null,
  unknown: () => EMPTY,
  tables: new Set(),
  views: new Set(),
});

function absorb(acc: Acc, r: Acc): void {
  for (const t of r.tables) acc.tables.add(t);
  for (const v of r.views) acc.views.add(v);
}

function union(...sets: OriginSet[]): OriginSet {
  const out = new Set<string>();
  for (const s of sets) for (const k of s) out.add(k);
  return out;
}

function findCol(cols: Col[], name: string): Col | undefined {
  const lower = name.toLowerCase();
  return cols.find((c) => c.name.toLowerCase() === lower);
}

function sortOrigins(s: OriginSet): ColumnOrigin[] {
  return [...s]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => {
      const i = k.indexOf(SEP);
      return { table: k.slice(0, i), column: k.slice(i + 1) };
    });
}

/** Duplicate output names get a counter, as Flink names them (`id`, `id0`). */
function uniquify(cols: Col[]): void {
  const seen = new Set<string>();
  for (const c of cols) {
    let name = c.name;
    for (let k = 0; seen.has(name.toLowerCase()); k++) name = `${c.name}${k}`;
    seen.add(name.toLowerCase());
    c.name = name;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------------------------------
// Declared tables and the external data behind them

interface TableState {
  info: LineageTable;
  options: Record<string, string>;
  cols: DeclaredColumn[];
  watermark: string | null;
  /** The query of a view. */
  view: Relation | null;
}

const SECRET_KEY = /password|secret|token/i;

const IDENTITY_KEYS: [RegExp, string[]][] = [
  [/^(upsert-)?kafka$/, ['topic', 'topic-pattern', 'properties.bootstrap.servers']],
  [/^jdbc$/, ['url', 'table-name']],
  [/^filesystem$/, ['path']],
  [/^elasticsearch/, ['hosts', 'index']],
  [/^hbase/, ['table-name', 'zookeeper.quorum']],
  [/^mongodb$/, ['uri', 'database', 'collection']],
  [/^(print|blackhole|datagen)$/, []],
];

/** For connectors not listed above: the options that usually name the data (CDC, Pulsar, Paimon...). */
const GENERIC_IDENTITY =
  /(^|\.)(url|uri|hosts?|hostname|port|topics?|path|table-name|table|database|database-name|schema-name|index|collection|stream|bucket|service-url|fenodes|warehouse)$/;

/** Credentials can hide in values too: user info of URLs and password-like URL parameters go. */
function redact(value: string): string {
  let v = value.replace(/^([a-z][\w+.:-]*?:\/\/)[^/?#@]*@/i, '$1');
  v = v.replace(/([?&;])([^=&;?#]*)=([^&;#]*)/g, (m: string, sep: string, key: string) =>
    SECRET_KEY.test(key) ? sep : m,
  );
  return v.replace(/([?&;])[&;]+/g, '$1').replace(/[?&;]+$/, '');
}

function identityOf(connector: string | null, options: Record<string, string>): Record<string, string> {
  if (!connector) return {};
  const c = connector.toLowerCase();
  const rule = IDENTITY_KEYS.find(([re]) => re.test(c));
  const keys = rule
    ? rule[1]
    : Object.keys(options)
        .filter((k) => k !== 'connector' && GENERIC_IDENTITY.test(k))
        .sort();
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = options[k];
    if (v !== undefined && !SECRET_KEY.test(k)) out[k] = redact(v);
  }
  return out;
}

function list(value: string, sep: RegExp, lower: boolean): string[] {
  const items = value
    .split(sep)
    .map((s) => (lower ? s.trim().toLowerCase() : s.trim()))
    .filter(Boolean);
  return [...new Set(items)].sort();
}

/**
 * One spelling per local or remote path, as Flink's own Path reads them: repeated slashes collapse
 * (`${base}/orders` with base ending in '/'), a trailing slash goes, and `/x`, `file:/x`, `file:///x` and
 * `file://localhost/x` are the same local file (`/x` on Flink's default file system, which is the local
 * one unless `fs.default-scheme` names another).
 */
function normalizePath(path: string): string {
  const m = /^([a-zA-Z][\w+.-]*):(\/\/([^/]*))?(.*)$/.exec(path);
  let scheme = m ? m[1]!.toLowerCase() : 'file';
  let authority = m ? (m[3] ?? '') : '';
  const rest = (m ? m[4]! : path).replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
  if (!m && !rest.startsWith('/')) return rest || '/'; // a relative path: kept as written
  if (scheme === 'file' && authority === 'localhost') authority = '';
  if (!m) scheme = 'file';
  return `${scheme}://${authority}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

function resourceOf(connector: string | null, id: Record<string, string>): string | null {
  if (!connector) return null;
  const c = connector.toLowerCase();
  if (c === 'kafka' || c === 'upsert-kafka') {
    const brokers = list(id['properties.bootstrap.servers'] ?? '', /[,;\s]+/, true).join(',');
    const topic = id['topic'];
    const pattern = id['topic-pattern'];
    const what = topic ? list(topic, /;/, false).join(';') : pattern ? `~${pattern}` : null;
    return what ? `kafka://${brokers}/${what}` : null;
  }
  if (c === 'jdbc') {
    const url = id['url'];
    const table = id['table-name'];
    return url && table ? `${url.split('?')[0]}#${table}` : null;
  }
  if (c === 'filesystem') {
    const path = id['path'];
    return path ? `filesystem:${normalizePath(path)}` : null;
  }
  if (c.startsWith('elasticsearch')) {
    const hosts = id['hosts'];
    const index = id['index'];
    if (!hosts || !index) return null;
    const h = list(hosts, /[;,\s]+/, true).map((x) => x.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, ''));
    return `elasticsearch://${[...new Set(h)].sort().join(',')}/${index}`;
  }
  if (c.startsWith('hbase')) {
    const table = id['table-name'];
    const quorum = id['zookeeper.quorum'];
    return table && quorum ? `hbase://${list(quorum, /[,\s]+/, true).join(',')}/${table}` : null;
  }
  if (c === 'mongodb') {
    const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(id['uri'] ?? '');
    const db = id['database'];
    const coll = id['collection'];
    return m && db && coll ? `mongodb://${list(m[1]!, /,/, true).join(',')}/${db}.${coll}` : null;
  }
  if (c === 'print' || c === 'blackhole' || c === 'datagen') return null;
  const keys = Object.keys(id).sort();
  return keys.length ? `${c}:${keys.map((k) => `${k}=${id[k]}`).join('&')}` : null;
}

// ---------------------------------------------------------------------------------------------------
// The script

class Analyzer {
  constructor(private readonly resolve?: ResolveValue) {}

  private readonly tables = new Map<string, TableState>();
  private readonly writes: LineageWrite[] = [];
  private readonly notes: { line: number; message: string }[] = [];
  private readonly noted = new Set<string>();

  note(line: number, message: string): void {
    const key = `${line}${SEP}${message}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.notes.push({ line, message });
  }

  run(st: SqlStatement): void {
    try {
      new StatementReader(this, st).run();
    } catch (e) {
      this.note(st.line, `could not analyse this statement (${errorText(e)})`);
    }
  }

  lookup(name: string): TableState | undefined {
    return this.tables.get(name.toLowerCase());
  }

  /** The table of that name, registered as undeclared (a catalog table) on first use. */
  table(name: string): TableState {
    const existing = this.lookup(name);
    if (existing) return existing;
    const state: TableState = {
      info: {
        name,
        kind: 'undeclared',
        line: null,
        connector: null,
        identity: {},
        resource: null,
        columns: [],
        reads: false,
        writes: false,
      },
      options: {},
      cols: [],
      watermark: null,
      view: null,
    };
    this.tables.set(name.toLowerCase(), state);
    return state;
  }

  declare(
    name: string,
    line: number,
    decl: Pick<CreateTable, 'columns' | 'options' | 'watermark'>,
    ifNotExists: boolean,
  ): TableState {
    const { columns: cols, options } = decl;
    const existing = this.lookup(name);
    if (existing && existing.info.kind !== 'undeclared' && ifNotExists) return existing;
    const state = this.table(name);
    const resolved: Record<string, string> = {};
    const variables: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(options)) {
      const r = this.resolve?.(v) ?? { text: v, variables: [] };
      resolved[k] = r.text;
      if (r.variables.length) variables[k] = r.variables;
    }
    const connector = resolved['connector'] ?? null;
    const identity = identityOf(connector, resolved);
    const info = state.info;
    info.kind = 'table';
    info.line = line;
    info.connector = connector;
    info.identity = identity;
    info.resource = resourceOf(connector, identity);
    const via = Object.keys(identity).filter((k) => variables[k]);
    if (via.length) info.variables = Object.fromEntries(via.map((k) => [k, variables[k]!]));
    else delete info.variables;
    info.columns = cols.map((c) =>
      c.kind !== 'physical' ? { name: c.name, type: c.type, computed: true } : { name: c.name, type: c.type },
    );
    state.options = options;
    state.cols = cols;
    state.watermark = decl.watermark;
    state.view = null;
    return state;
  }

  declareView(name: string, line: number, query: Relation, ifNotExists: boolean): void {
    const existing = this.lookup(name);
    if (existing && existing.info.kind !== 'undeclared' && ifNotExists) return;
    const state = this.table(name);
    const info = state.info;
    info.kind = 'view';
    info.line = line;
    info.connector = null;
    info.identity = {};
    info.resource = null;
    info.columns = (query.columns ?? []).map((c) => ({ name: c.name, type: '' }));
    state.options = {};
    state.cols = [];
    state.watermark = null;
    state.view = query;
  }

  relationOf(state: TableState): Relation {
    const name = state.info.name;
    if (state.view) {
      const v = state.view;
      return { columns: v.columns, unknown: v.unknown, tables: v.tables, views: new Set([...v.views, name]) };
    }
    return {
      columns: state.cols.length
        ? state.cols.map((c) => ({ name: c.name, origins: new Set([originKey(name, c.name)]), expr: c.name }))
        : null,
      unknown: (col) => new Set([originKey(name, col)]),
      tables: new Set([name]),
      views: new Set(),
    };
  }

  /** The query runs: everything it reaches is read. */
  read(r: Acc): void {
    for (const n of [...r.tables, ...r.views]) {
      const s = this.lookup(n);
      if (s) s.info.reads = true;
    }
  }

  addWrite(w: LineageWrite): void {
    this.writes.push(w);
  }

  result(): ScriptLineage {
    return {
      tables: [...this.tables.values()].map((s) => s.info),
      writes: this.writes,
      notes: [...this.notes].sort((a, b) => a.line - b.line),
    };
  }
}

const MAX_DEPTH = 64;

/** Reads one statement. Token indexes are into this statement's tokens; ranges are [from, to). */
class StatementReader {
  private readonly toks: Tok[];
  private readonly match: Int32Array;
  private readonly eof: Tok;
  private depth = 0;

  constructor(
    private readonly a: Analyzer,
    private readonly st: SqlStatement,
  ) {
    this.toks = tokenize(st.text);
    this.match = matchBrackets(this.toks);
    const lastLine = this.toks.length ? this.toks[this.toks.length - 1]!.line : 0;
    this.eof = {
      kind: 'eof',
      text: '',
      value: '',
      start: st.text.length,
      end: st.text.length,
      line: lastLine,
    };
  }

  run(): void {
    const first = this.t(0).value;
    const n = this.toks.length;
    if (first === 'CREATE') this.create();
    else if (first === 'INSERT') this.insert(0);
    else if (first === 'EXECUTE' && this.isW(1, 'INSERT')) this.insert(1);
    else if (QUERY_START.has(first) || (first === '(' && this.startsQuery(0))) {
      this.a.read(this.query(0, n, null, new Map()));
    } else if (first === 'EXECUTE' && this.startsQuery(1)) {
      this.a.read(this.query(1, n, null, new Map()));
    } else if (first === 'DELETE' || first === 'UPDATE') {
      this.note(0, `${first} statements are not analysed`);
    } else if (this.st.kind === 'other' && !QUIET_OTHER.has(first) && this.t(0).kind !== 'eof') {
      this.note(0, `statement not recognised ("${this.t(0).text}"); skipped`);
    }
  }

  // --- token helpers

  private t(i: number): Tok {
    return this.toks[i] ?? this.eof;
  }

  /** Is token i the word `v` (or `v2`)? */
  private isW(i: number, v: string, v2?: string): boolean {
    const t = this.t(i);
    return t.kind === 'word' && (t.value === v || t.value === v2);
  }

  private isP(i: number, text: string): boolean {
    const t = this.t(i);
    return t.kind === 'punct' && t.text === text;
  }

  private isOpen(i: number): boolean {
    const t = this.t(i);
    return t.kind === 'punct' && (t.text === '(' || t.text === '[');
  }

  /** The closing bracket of the opener at i, at most `limit`. */
  private close(i: number, limit: number): number {
    const c = this.match[i] ?? -1;
    return c < 0 ? Math.min(i + 1, limit) : Math.min(c, limit);
  }

  private isName(i: number): boolean {
    const t = this.t(i);
    return t.kind === 'quoted' || (t.kind === 'word' && !HARD.has(t.value));
  }

  private note(i: number, message: string): void {
    this.a.note(this.st.line + this.t(i).line, message);
  }

  /** The source text of a token range, white space collapsed. */
  private text(from: number, to: number): string {
    if (to <= from) return '';
    return this.st.text
      .slice(this.t(from).start, this.t(to - 1).end)
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** `a.b.c` (words or quoted names) starting at i. */
  private chainAt(i: number): { parts: string[]; next: number } | null {
    const first = this.t(i);
    if (first.kind !== 'word' && first.kind !== 'quoted') return null;
    const parts = [identText(first)];
    let j = i + 1;
    while (this.isP(j, '.') && (this.t(j + 1).kind === 'word' || this.t(j + 1).kind === 'quoted')) {
      parts.push(identText(this.t(j + 1)));
      j += 2;
    }
    return { parts, next: j };
  }

  /** Ranges between top-level commas. */
  private splitTop(from: number, to: number): [number, number][] {
    const out: [number, number][] = [];
    let s = from;
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      if (this.isP(j, ',')) {
        out.push([s, j]);
        s = j + 1;
      }
      j++;
    }
    if (s < to) out.push([s, to]);
    return out;
  }

  /** `(a, b, c)` contents: the first name of each item. */
  private nameList(from: number, to: number): string[] {
    return this.splitTop(from, to)
      .map(([s]) => this.t(s))
      .filter((t) => t.kind === 'word' || t.kind === 'quoted')
      .map(identText);
  }

  private startsQuery(i: number): boolean {
    let k = i;
    while (this.isP(k, '(')) k++;
    const t = this.t(k);
    return t.kind === 'word' && QUERY_START.has(t.value);
  }

  /** The first top-level word of `set` at or after `from`, else `to`. */
  private findTop(from: number, to: number, set: Set<string>): number {
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      const t = this.t(j);
      if (t.kind === 'word' && set.has(t.value)) return j;
      j++;
    }
    return to;
  }

  private firstLine(): string {
    const line =
      stripComments(this.st.text)
        .split('\n')
        .find((l) => l.trim()) ?? '';
    return line.trim().slice(0, 120);
  }

  // --- DDL

  private create(): void {
    let i = 1;
    if (this.isW(i, 'OR') && this.isW(i + 1, 'REPLACE')) i += 2;
    if (this.isW(i, 'TEMPORARY')) i++;
    if (this.isW(i, 'TABLE')) this.createTable(i + 1);
    else if (this.isW(i, 'VIEW')) this.createView(i + 1);
    // functions, catalogs, databases, models: no lineage
  }

  private ifNotExists(i: number): boolean {
    return this.isW(i, 'IF') && this.isW(i + 1, 'NOT') && this.isW(i + 2, 'EXISTS');
  }

  /** `[IF NOT EXISTS] name` after CREATE TABLE/VIEW; null (with a note) when there is no name. */
  private createdName(from: number, what: string): { name: string; next: number; ine: boolean } | null {
    const ine = this.ifNotExists(from);
    const at = ine ? from + 3 : from;
    const nm = this.chainAt(at);
    if (!nm) {
      this.note(at, `could not read the name of this CREATE ${what}`);
      return null;
    }
    return { name: nm.parts.join('.'), next: nm.next, ine };
  }

  private createTable(from: number): void {
    const n = this.toks.length;
    const created = this.createdName(from, 'TABLE');
    if (!created) return;
    // The one CREATE TABLE reader, over this statement's tokens.
    const table = readCreateTable(this.st.text, this.toks, this.match)!;
    for (const p of table.problems) this.note(p.at, p.message);
    let decl: Pick<CreateTable, 'columns' | 'options' | 'watermark'> = table;
    if (table.like !== null) {
      const src = this.a.lookup(table.like);
      if (src && src.info.kind === 'table')
        decl = applyLike(table, { columns: src.cols, options: src.options, watermark: src.watermark });
      else
        this.note(
          table.at.like ?? 0,
          `LIKE ${table.like}: it is not declared in this script, so its columns and options are unknown`,
        );
    }
    const asStart = table.at.asQuery;
    if (asStart === null) {
      this.a.declare(table.name, this.st.line, decl, table.ifNotExists);
      return;
    }
    // CREATE TABLE ... AS SELECT: a table and a write
    const q = this.query(asStart, n, null, new Map());
    const cols = [...decl.columns];
    if (q.columns) {
      const declared = new Set(cols.map((c) => c.name.toLowerCase()));
      for (const c of q.columns)
        if (!declared.has(c.name.toLowerCase()))
          cols.push({ name: c.name, type: '', kind: 'physical', text: c.name });
    }
    const state = this.a.declare(table.name, this.st.line, { ...decl, columns: cols }, table.ifNotExists);
    this.write(state, q, q.columns ? q.columns.map((c) => c.name) : null, [], asStart);
  }

  private createView(from: number): void {
    const n = this.toks.length;
    const created = this.createdName(from, 'VIEW');
    if (!created) return;
    const { name, ine } = created;
    let i = created.next;
    let cols: string[] | null = null;
    if (this.isP(i, '(')) {
      const c = this.close(i, n);
      cols = this.nameList(i + 1, c);
      i = c + 1;
    }
    const as = this.findTop(i, n, AS_WORD);
    if (as >= n) {
      this.note(from, `could not find the query of view ${name}`);
      this.a.declareView(name, this.st.line, emptyRelation(), ine);
      return;
    }
    let q = this.query(as + 1, n, null, new Map());
    if (cols) q = this.renamed(q, cols, i);
    this.a.declareView(name, this.st.line, q, ine);
  }

  // --- INSERT

  private insert(at: number): void {
    const n = this.toks.length;
    let i = at + 1;
    if (this.isW(i, 'INTO', 'OVERWRITE')) i++;
    const nm = this.chainAt(i);
    if (!nm) {
      this.note(i, 'could not read the target table of this INSERT');
      return;
    }
    const state = this.a.table(nm.parts.join('.'));
    i = nm.next;
    let explicit: string[] | null = null;
    const statics: [string, string][] = [];
    for (let round = 0; round < 2; round++) {
      if (this.isW(i, 'PARTITION') && this.isP(i + 1, '(')) {
        const c = this.close(i + 1, n);
        for (const [s, e] of this.splitTop(i + 2, c))
          if (this.isP(s + 1, '=')) statics.push([identText(this.t(s)), this.text(s + 2, e)]);
        i = c + 1;
      } else if (this.isP(i, '(') && !this.startsQuery(i)) {
        const c = this.close(i, n);
        explicit = this.nameList(i + 1, c);
        i = c + 1;
      }
    }
    if (state.view) this.note(at, `${state.info.name} is a view: a view cannot be written to`);
    const q = this.query(i, n, null, new Map());
    this.write(state, q, explicit, statics, at);
  }

  private write(
    state: TableState,
    q: Relation,
    explicit: string[] | null,
    statics: [string, string][],
    at: number,
  ): void {
    const sink = state.info.name;
    this.a.read(q);
    state.info.writes = true;
    const staticNames = new Set(statics.map(([k]) => k.toLowerCase()));
    let targets: string[];
    if (explicit) targets = explicit;
    else if (state.cols.length)
      // Flink writes the physical and the persisted (non-virtual) metadata columns, in declared order.
      targets = state.cols
        .filter((c) => (c.kind === 'metadata' ? !c.virtual : c.kind === 'physical'))
        .map((c) => c.name)
        .filter((c) => !staticNames.has(c.toLowerCase()));
    else if (q.columns) targets = q.columns.map((c) => c.name);
    else {
      this.note(at, `the columns written to ${sink} are not known`);
      targets = [];
    }
    const columns: LineageWrite['columns'] = [];
    if (q.columns) {
      if (targets.length && q.columns.length !== targets.length)
        this.note(
          at,
          `${sink}: ${targets.length} columns are written but the query returns ${q.columns.length}`,
        );
      targets.forEach((column, k) => {
        const c = q.columns?.[k];
        columns.push({ column, from: c ? sortOrigins(c.origins) : [], expression: c?.expr ?? '' });
      });
    } else {
      if (targets.length)
        this.note(at, `the columns of the query writing ${sink} are not known; they are matched by name`);
      for (const column of targets)
        columns.push({ column, from: sortOrigins(q.unknown(column)), expression: column });
    }
    for (const [column, value] of statics) columns.push({ column, from: [], expression: value });
    this.a.addWrite({
      sink,
      line: this.st.line,
      statement: this.firstLine(),
      sources: [...q.tables].sort(),
      via: [...q.views].sort(),
      columns,
    });
  }

  // --- queries

  private query(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
    if (this.depth >= MAX_DEPTH) {
      this.note(from, 'the query is nested too deeply to analyse');
      return emptyRelation();
    }
    this.depth++;
    try {
      return this.queryBody(from, to, outer, ctes);
    } finally {
      this.depth--;
    }
  }

  private queryBody(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
    let i = from;
    if (this.isW(i, 'WITH')) {
      ctes = new Map(ctes);
      i++;
      for (;;) {
        const nameTok = this.t(i);
        if (i >= to || (nameTok.kind !== 'word' && nameTok.kind !== 'quoted')) break;
        const name = identText(nameTok);
        i++;
        let cols: string[] | null = null;
        if (this.isP(i, '(')) {
          const c = this.close(i, to);
          cols = this.nameList(i + 1, c);
          i = c + 1;
        }
        if (!this.isW(i, 'AS') || !this.isP(i + 1, '(')) {
          this.note(i, `could not read the WITH clause at ${name}`);
          i = this.findTop(i, to, SELECT_OR_VALUES);
          break;
        }
        const c = this.close(i + 1, to);
        let rel = this.query(i + 2, c, outer, ctes);
        if (cols) rel = this.renamed(rel, cols, i);
        ctes.set(name.toLowerCase(), { ...rel, label: name });
        i = c + 1;
        if (!this.isP(i, ',')) break;
        i++;
      }
    }
    const branches: [number, number][] = [];
    let s = i;
    for (let j = i; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      const t = this.t(j);
      if (t.kind === 'word' && SET_OPS.has(t.value)) {
        branches.push([s, j]);
        j++;
        if (this.isW(j, 'ALL', 'DISTINCT')) j++;
        s = j;
        continue;
      }
      j++;
    }
    branches.push([s, to]);
    const rels = branches.map(([x, y]) => this.term(x, y, outer, ctes));
    return rels.length === 1 ? rels[0]! : this.setOperation(rels, from);
  }

  /** UNION / INTERSECT / EXCEPT: output column i derives from column i of every branch. */
  private setOperation(rels: Relation[], at: number): Relation {
    const acc: Acc = { tables: new Set(), views: new Set() };
    for (const r of rels) absorb(acc, r);
    const first = rels[0]!;
    const known = rels.map((r) => r.columns?.length).filter((x): x is number => x !== undefined);
    if (new Set(known).size > 1)
      this.note(at, 'the branches of a UNION/INTERSECT/EXCEPT return different numbers of columns');
    const originsOf = (r: Relation, k: number, name: string): OriginSet =>
      r.columns ? (r.columns[k]?.origins ?? EMPTY) : r.unknown(name);
    if (first.columns) {
      const columns = first.columns.map((c, k) => ({
        name: c.name,
        expr: c.expr,
        origins: union(...rels.map((r) => originsOf(r, k, c.name))),
      }));
      return { columns, unknown: () => EMPTY, ...acc };
    }
    return {
      columns: null,
      unknown: (name) =>
        union(
          ...rels.map((r) => (r.columns ? (findCol(r.columns, name)?.origins ?? EMPTY) : r.unknown(name))),
        ),
      ...acc,
    };
  }

  private term(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
    if (from >= to) {
      this.note(from, 'a query is missing');
      return emptyRelation();
    }
    const t = this.t(from);
    if (this.isP(from, '(')) return this.query(from + 1, this.close(from, to), outer, ctes);
    if (t.kind === 'word') {
      if (t.value === 'SELECT') return this.select(from, to, outer, ctes);
      if (t.value === 'VALUES') return this.values(from, to, outer, ctes);
      if (t.value === 'WITH') return this.query(from, to, outer, ctes);
      if (t.value === 'TABLE') {
        const nm = this.chainAt(from + 1);
        if (nm) return this.named(nm.parts, ctes);
      }
    }
    this.note(from, `could not read the query starting at "${t.text}"`);
    return emptyRelation();
  }

  private values(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
    const acc: Acc = { tables: new Set(), views: new Set() };
    const scope: Scope = { rels: [], parent: outer, using: new Set() };
    const columns: Col[] = [];
    for (const [s, e] of this.splitTop(from + 1, to)) {
      const cells: [number, number][] =
        this.isP(s, '(') && this.close(s, e) === e - 1 ? this.splitTop(s + 1, e - 1) : [[s, e]];
      cells.forEach(([cs, ce], k) => {
        const origins = this.expr(cs, ce, scope, ctes, acc);
        const col = columns[k];
        if (col) for (const o of origins) col.origins.add(o);
        else columns.push({ name: `EXPR$${k}`, origins: new Set(origins), expr: this.text(cs, ce) });
      });
    }
    return { columns, unknown: () => EMPTY, ...acc };
  }

  private select(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
    let i = from + 1;
    if (this.isW(i, 'DISTINCT', 'ALL')) i++;
    const fromAt = this.findTop(i, to, FROM_OR_CLAUSE);
    const scope: Scope = { rels: [], parent: outer, using: new Set() };
    const acc: Acc = { tables: new Set(), views: new Set() };
    let rest = fromAt;
    if (this.isW(fromAt, 'FROM')) {
      rest = this.findTop(fromAt + 1, to, CLAUSE_AFTER_FROM);
      this.from(fromAt + 1, rest, scope, ctes, acc);
    }
    this.subqueries(rest, to, scope, ctes, acc);
    const columns: Col[] = [];
    const starRels: Relation[] = [];
    for (const [s, e] of this.splitTop(i, fromAt)) this.selectItem(s, e, scope, ctes, acc, columns, starRels);
    uniquify(columns);
    if (starRels.length)
      return {
        columns: null,
        unknown: (name) => findCol(columns, name)?.origins ?? union(...starRels.map((r) => r.unknown(name))),
        ...acc,
      };
    return { columns, unknown: () => EMPTY, ...acc };
  }

  private selectItem(
    s: number,
    e: number,
    scope: Scope,
    ctes: Ctes,
    acc: Acc,
    columns: Col[],
    starRels: Relation[],
  ): void {
    if (e <= s) return;
    const expand = (rel: ScopeRel) => {
      if (rel.columns) for (const c of rel.columns) columns.push({ ...c });
      else {
        starRels.push(rel);
        this.note(s, `the columns of ${rel.label} are not known, so * cannot be listed`);
      }
    };
    if (e === s + 1 && this.isP(s, '*')) {
      if (!scope.rels.length) this.note(s, 'SELECT * without FROM');
      for (const rel of scope.rels) expand(rel);
      return;
    }
    if (e - s >= 3 && this.isP(e - 1, '*') && this.isP(e - 2, '.')) {
      const nm = this.chainAt(s);
      const rel = nm && nm.next === e - 2 ? this.findRel(scope, [...nm.parts, '*'])?.rel : undefined;
      if (rel) expand(rel);
      else this.note(s, `could not find the relation of ${this.text(s, e)}`);
      return;
    }
    let exprEnd = e;
    let alias: string | null = null;
    const last = this.t(e - 1);
    if (e - s >= 2 && this.isName(e - 1)) {
      if (this.isW(e - 2, 'AS')) {
        alias = identText(last);
        exprEnd = e - 2;
      } else if (this.endsExpr(e - 2) && !(this.isW(e - 3, 'INTERVAL') && this.t(e - 2).kind === 'string')) {
        alias = identText(last);
        exprEnd = e - 1;
      }
    }
    const nm = this.chainAt(s);
    const plain =
      nm !== null && nm.next === exprEnd && !(this.t(s).kind === 'word' && HARD.has(this.t(s).value));
    let origins: OriginSet;
    let expr = this.text(s, exprEnd);
    if (plain) {
      // A plain column reference keeps the expression that computed the column further down.
      const r = this.resolve(nm.parts, scope, s, nm.parts.length === 1 && SOFT.has(this.t(s).value));
      origins = r.origins;
      // `t.row_col.field` reads part of a column: its own text says more than the column's expression.
      if (r.col && r.col.name.toLowerCase() === nm.parts[nm.parts.length - 1]!.toLowerCase())
        expr = r.col.expr;
    } else origins = this.expr(s, exprEnd, scope, ctes, acc);
    const name = alias ?? (plain ? nm.parts[nm.parts.length - 1]! : `EXPR$${columns.length}`);
    columns.push({ name, origins, expr });
  }

  private endsExpr(i: number): boolean {
    const t = this.t(i);
    if (t.kind === 'quoted' || t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind === 'punct') return t.text === ')' || t.text === ']';
    if (t.kind === 'word') return !HARD.has(t.value) || EXPR_END.has(t.value);
    return false;
  }

  /** Subqueries in WHERE, HAVING, ON...: they add sources, not column lineage. */
  private subqueries(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): void {
    for (let i = from; i < to;) {
      if (this.isP(i, '(') && this.startsQuery(i + 1)) {
        const c = this.close(i, to);
        absorb(acc, this.query(i + 1, c, scope, ctes));
        i = c + 1;
      } else i++;
    }
  }

  // --- FROM

  private from(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): void {
    for (let i = from; i < to;) {
      const t = this.t(i);
      if (this.isP(i, ',')) i++;
      else if (t.kind === 'word' && JOIN_WORDS.has(t.value) && !this.isP(i + 1, '(')) i++;
      else if (this.isW(i, 'ON')) {
        let j = i + 1;
        for (; j < to;) {
          if (this.isOpen(j)) {
            j = this.close(j, to) + 1;
            continue;
          }
          const x = this.t(j);
          if (this.isP(j, ',') || (x.kind === 'word' && JOIN_WORDS.has(x.value) && !this.isP(j + 1, '(')))
            break;
          j++;
        }
        this.subqueries(i + 1, j, scope, ctes, acc);
        i = j;
      } else if (this.isW(i, 'USING') && this.isP(i + 1, '(')) {
        const c = this.close(i + 1, to);
        for (const n of this.nameList(i + 2, c)) scope.using.add(n.toLowerCase());
        i = c + 1;
      } else {
        const next = this.tableRef(i, to, scope, ctes, acc);
        i = next > i ? next : i + 1;
      }
    }
  }

  private tableRef(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): number {
    let i = from;
    const lateral = this.isW(i, 'LATERAL');
    if (lateral) i++;
    let rel: Relation;
    let label: string;
    let qualifiers: string[] = [];
    if (this.isW(i, 'TABLE') && this.isP(i + 1, '(')) {
      const c = this.close(i + 1, to);
      const fn = this.tableFunction(i + 2, c, scope, ctes, acc);
      rel = fn.rel;
      label = fn.label;
      i = c + 1;
    } else if (this.isW(i, 'UNNEST') && this.isP(i + 1, '(')) {
      const c = this.close(i + 1, to);
      const origins = this.expr(i + 2, c, scope, ctes, acc);
      rel = { columns: null, unknown: () => origins, tables: new Set(), views: new Set() };
      label = 'UNNEST';
      i = c + 1;
      if (this.isW(i, 'WITH') && this.isW(i + 1, 'ORDINALITY')) i += 2;
    } else if (this.isP(i, '(')) {
      const c = this.close(i, to);
      if (!this.startsQuery(i + 1)) {
        this.from(i + 1, c, scope, ctes, acc); // a parenthesized join
        return c + 1;
      }
      rel = this.query(i + 1, c, lateral ? scope : null, ctes);
      label = 'a subquery';
      i = c + 1;
    } else {
      const nm = this.chainAt(i);
      if (!nm || (this.t(i).kind === 'word' && HARD.has(this.t(i).value))) {
        this.note(i, `could not read the FROM clause at "${this.t(i).text}"`);
        return this.skipToNextRef(i + 1, to);
      }
      rel = this.named(nm.parts, ctes);
      label = nm.parts.join('.');
      const lower = nm.parts.map((p) => p.toLowerCase());
      qualifiers = lower.map((_, k) => lower.slice(k).join('.'));
      i = nm.next;
    }
    i = this.skipTemporal(i, to);
    if (this.isW(i, 'MATCH_RECOGNIZE') && this.isP(i + 1, '(')) {
      const c = this.close(i + 1, to);
      rel = this.matchRecognize(rel, label, i + 2, c, ctes);
      i = c + 1;
    }
    if (this.isW(i, 'AS') && this.isName(i + 1)) i++;
    if (this.isName(i)) {
      const alias = identText(this.t(i));
      qualifiers = [alias.toLowerCase()];
      label = label === alias ? label : `${label} (${alias})`;
      i++;
      if (this.isP(i, '(')) {
        const c = this.close(i, to);
        rel = this.renamed(rel, this.nameList(i + 1, c), i);
        i = c + 1;
      }
    }
    i = this.skipTemporal(i, to);
    absorb(acc, rel);
    scope.rels.push({ ...rel, qualifiers, anyQualifier: false, label });
    return i;
  }

  private skipToNextRef(from: number, to: number): number {
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      const t = this.t(j);
      if (this.isP(j, ',') || (t.kind === 'word' && JOIN_WORDS.has(t.value))) return j;
      j++;
    }
    return to;
  }

  /** `FOR SYSTEM_TIME AS OF o.proc_time`: the time expression carries no lineage. */
  private skipTemporal(from: number, to: number): number {
    if (!(
      this.isW(from, 'FOR') &&
      this.isW(from + 1, 'SYSTEM_TIME') &&
      this.isW(from + 2, 'AS') &&
      this.isW(from + 3, 'OF')
    ))
      return from;
    let i = from + 4;
    for (;;) {
      if (i >= to) return to;
      if (this.isW(i, 'INTERVAL')) i += 3;
      else if (this.isOpen(i)) i = this.close(i, to) + 1;
      else {
        const nm = this.chainAt(i);
        if (!nm) i++;
        else {
          i = nm.next;
          if (this.isP(i, '(')) i = this.close(i, to) + 1;
        }
      }
      const op = this.t(i);
      if (!(op.kind === 'punct' && /^[-+*/]$/.test(op.text))) return i;
      i++;
    }
  }

  /** A table, view or CTE by name. */
  private named(parts: string[], ctes: Ctes): Relation {
    if (parts.length === 1) {
      const cte = ctes.get(parts[0]!.toLowerCase());
      if (cte) return cte;
    }
    return this.a.relationOf(this.a.table(parts.join('.')));
  }

  private tableFunction(
    from: number,
    to: number,
    scope: Scope,
    ctes: Ctes,
    acc: Acc,
  ): { rel: Relation; label: string } {
    const nm = this.chainAt(from);
    if (!nm || !this.isP(nm.next, '(')) {
      this.note(from, 'could not read the table function');
      return { rel: emptyRelation(), label: 'a table function' };
    }
    const fname = nm.parts[nm.parts.length - 1]!;
    const open = nm.next;
    const c = this.close(open, to);
    if (WINDOW_TVFS.has(fname.toUpperCase())) return this.windowTvf(fname.toUpperCase(), open + 1, c, ctes);
    const origins = this.expr(open + 1, c, scope, ctes, acc);
    return {
      rel: { columns: null, unknown: () => origins, tables: new Set(), views: new Set() },
      label: fname,
    };
  }

  /** TUMBLE/HOP/CUMULATE/SESSION: the input's columns plus window_start, window_end, window_time. */
  private windowTvf(fname: string, from: number, to: number, ctes: Ctes): { rel: Relation; label: string } {
    let input: Relation | null = null;
    let desc: { name: string; at: number } | null = null;
    for (const [s0, e] of this.splitTop(from, to)) {
      let s = s0;
      if (this.isP(s + 1, '=>')) s += 2;
      if (this.isW(s, 'TABLE')) {
        if (this.isP(s + 1, '(')) input = this.query(s + 2, this.close(s + 1, e), null, ctes);
        else {
          const nm = this.chainAt(s + 1);
          if (nm) input = this.named(nm.parts, ctes);
        }
      } else if (this.isP(s, '(') && this.startsQuery(s)) {
        input = this.query(s + 1, this.close(s, e), null, ctes);
      } else if (this.isW(s, 'DESCRIPTOR') && this.isP(s + 1, '(')) {
        const nm = this.chainAt(s + 2);
        if (nm) desc = { name: nm.parts[nm.parts.length - 1]!, at: s + 2 };
      }
    }
    if (!input) {
      this.note(from, `could not find the input table of ${fname}`);
      return { rel: emptyRelation(), label: fname };
    }
    const inputRel = input;
    const descOrigins = desc ? this.colOf(inputRel, desc.name, desc.at, fname).origins : EMPTY;
    if (!desc) this.note(from, `${fname} has no DESCRIPTOR: window columns derive from nothing`);
    const windowCol = (name: string): Col => ({
      name,
      origins: descOrigins,
      expr: `${fname}(DESCRIPTOR(${desc?.name ?? ''})).${name}`,
    });
    const windowCols = ['window_start', 'window_end', 'window_time'].map(windowCol);
    return {
      rel: {
        columns: inputRel.columns ? [...inputRel.columns, ...windowCols] : null,
        unknown: (name) => findCol(windowCols, name)?.origins ?? inputRel.unknown(name),
        tables: inputRel.tables,
        views: inputRel.views,
      },
      label: fname,
    };
  }

  /** Output: PARTITION BY columns, then MEASURES. Pattern variables (`A.price`) qualify the input. */
  private matchRecognize(input: Relation, label: string, from: number, to: number, ctes: Ctes): Relation {
    const marks: { word: string; at: number }[] = [];
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      const t = this.t(j);
      if (t.kind === 'word' && MR_CLAUSES.has(t.value)) marks.push({ word: t.value, at: j });
      j++;
    }
    const section = (word: string): [number, number] | null => {
      const k = marks.findIndex((m) => m.word === word);
      if (k < 0) return null;
      const start = marks[k]!.at + (this.isW(marks[k]!.at + 1, 'BY') ? 2 : 1);
      return [start, marks[k + 1]?.at ?? to];
    };
    const scope: Scope = {
      rels: [{ ...input, qualifiers: [], anyQualifier: true, label }],
      parent: null,
      using: new Set(),
    };
    const acc: Acc = { tables: new Set(input.tables), views: new Set(input.views) };
    const columns: Col[] = [];
    const partition = section('PARTITION');
    if (partition)
      for (const [s, e] of this.splitTop(partition[0], partition[1])) {
        const nm = this.chainAt(s);
        if (nm && nm.next === e) {
          const r = this.resolve(nm.parts, scope, s, false);
          columns.push({
            name: nm.parts[nm.parts.length - 1]!,
            origins: r.origins,
            expr: r.col?.expr ?? this.text(s, e),
          });
        } else this.note(s, `could not read the PARTITION BY item "${this.text(s, e)}"`);
      }
    const measures = section('MEASURES');
    if (measures)
      for (const [s, e] of this.splitTop(measures[0], measures[1])) {
        const hasAlias = e - s >= 3 && this.isW(e - 2, 'AS') && this.isName(e - 1);
        const exprEnd = hasAlias ? e - 2 : e;
        columns.push({
          name: hasAlias ? identText(this.t(e - 1)) : `EXPR$${columns.length}`,
          origins: this.expr(s, exprEnd, scope, ctes, acc),
          expr: this.text(s, exprEnd),
        });
      }
    if (!measures) this.note(from, 'MATCH_RECOGNIZE without MEASURES');
    return { columns, unknown: () => EMPTY, ...acc };
  }

  /** `AS t(a, b)`, a view's or a CTE's column list: positional renaming. */
  private renamed(rel: Relation, names: string[], at: number): Relation {
    if (rel.columns && rel.columns.length !== names.length)
      this.note(at, `${names.length} column names are given for ${rel.columns.length} columns`);
    const columns = names.map((name, k) => {
      const c = rel.columns ? rel.columns[k] : undefined;
      return {
        name,
        origins: c ? c.origins : rel.columns ? EMPTY : rel.unknown(name),
        expr: c?.expr ?? name,
      };
    });
    return { ...rel, columns, unknown: () => EMPTY };
  }

  // --- expressions

  /** The base-table columns an expression derives from. */
  private expr(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): OriginSet {
    const out = new Set<string>();
    for (let i = from; i < to;) {
      const t = this.t(i);
      if (t.kind === 'punct') {
        if (t.text === '(' && this.startsQuery(i + 1)) {
          const c = this.close(i, to);
          const q = this.query(i + 1, c, scope, ctes);
          absorb(acc, q);
          for (const col of q.columns ?? []) for (const o of col.origins) out.add(o);
          i = c + 1;
        } else i++;
        continue;
      }
      if (t.kind !== 'word' && t.kind !== 'quoted') {
        i++;
        continue;
      }
      const next = this.t(i + 1);
      if (t.kind === 'word') {
        if (next.kind === 'punct' && next.text === '(') {
          i++; // a function name
          continue;
        }
        if (t.value === 'AS' || t.value === 'RETURNING') {
          i = this.skipType(i + 1, to); // CAST(x AS type), JSON_VALUE(... RETURNING type)
          continue;
        }
        if (HARD.has(t.value)) {
          i += t.value === 'OVER' && (next.kind === 'word' || next.kind === 'quoted') ? 2 : 1; // OVER w
          continue;
        }
        if (t.value === 'X' && next.kind === 'string' && next.start === t.end) {
          i++; // X'0F' binary literal
          continue;
        }
      }
      if ((next.kind === 'punct' && next.text === '=>') || this.isP(i - 1, '.')) {
        i++; // a named argument, or a field of an expression's result
        continue;
      }
      const nm = this.chainAt(i)!;
      if (this.isP(nm.next, '(')) {
        i = nm.next; // a qualified function name
        continue;
      }
      if (this.isP(nm.next, '.') && this.isP(nm.next + 1, '*')) {
        i = nm.next + 2; // COUNT(t.*)
        continue;
      }
      const soft = nm.parts.length === 1 && t.kind === 'word' && SOFT.has(t.value);
      for (const o of this.resolve(nm.parts, scope, i, soft).origins) out.add(o);
      i = nm.next;
    }
    return out;
  }

  /** Skip a type name up to the `)` that closes the enclosing call. */
  private skipType(from: number, to: number): number {
    for (let j = from; j < to;) {
      if (this.isOpen(j)) {
        j = this.close(j, to) + 1;
        continue;
      }
      if (this.isP(j, ')')) return j;
      j++;
    }
    return to;
  }

  private findRel(scope: Scope, parts: string[]): { rel: ScopeRel; consumed: number } | undefined {
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const q = parts.slice(0, k).join('.').toLowerCase();
      const rel = scope.rels.find((r) => r.qualifiers.includes(q) || (k === 1 && r.anyQualifier));
      if (rel) return { rel, consumed: k };
    }
    return undefined;
  }

  private colOf(
    rel: Relation,
    name: string,
    at: number,
    label: string,
  ): { origins: OriginSet; col: Col | null } {
    if (!rel.columns) return { origins: rel.unknown(name), col: null };
    const col = findCol(rel.columns, name);
    if (col) return { origins: col.origins, col };
    this.note(at, `column "${name}" was not found in ${label}`);
    return { origins: EMPTY, col: null };
  }

  /** A column reference: `alias.col[.field]`, or a bare `col[.field]` in the nearest scope that has it. */
  private resolve(
    parts: string[],
    scope: Scope,
    at: number,
    soft: boolean,
  ): { origins: OriginSet; col: Col | null } {
    for (let sc: Scope | null = scope; sc; sc = sc.parent) {
      if (parts.length >= 2) {
        const hit = this.findRel(sc, parts);
        if (hit) return this.colOf(hit.rel, parts[hit.consumed]!, at, hit.rel.label);
      }
      const name = parts[0]!;
      const matches: { rel: ScopeRel; col: Col }[] = [];
      for (const rel of sc.rels) {
        const col = rel.columns ? findCol(rel.columns, name) : undefined;
        if (col) matches.push({ rel, col });
      }
      const unknown = sc.rels.filter((r) => !r.columns);
      if (matches.length && sc.using.has(name.toLowerCase())) {
        // A USING column is every joined relation's column, including those whose columns are not known.
        const all = [...matches.map((m) => m.col.origins), ...unknown.map((r) => r.unknown(name))];
        return {
          origins: union(...all),
          col: matches.length === 1 && !unknown.length ? matches[0]!.col : null,
        };
      }
      if (matches.length === 1) return { origins: matches[0]!.col.origins, col: matches[0]!.col };
      if (matches.length > 1) {
        this.note(
          at,
          `column "${name}" is in more than one table (${matches.map((m) => m.rel.label).join(', ')}); lineage includes all of them`,
        );
        return { origins: union(...matches.map((m) => m.col.origins)), col: null };
      }
      if (unknown.length === 1) return { origins: unknown[0]!.unknown(name), col: null };
      if (unknown.length > 1) {
        if (!soft)
          this.note(
            at,
            `cannot tell which of ${unknown.map((r) => r.label).join(', ')} has column "${name}" (their columns are not known)`,
          );
        return { origins: EMPTY, col: null };
      }
    }
    if (!soft) this.note(at, `column "${parts.join('.')}" was not found`);
    return { origins: EMPTY, col: null };
  }
}

function identText(t: Tok): string {
  return t.kind === 'word' ? t.text : t.value;
}
