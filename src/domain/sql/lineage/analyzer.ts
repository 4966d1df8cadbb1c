/**
 * Graph assembly: the tables a script declares and uses, the writes of its INSERTs and the notes on what
 * could not be read, gathered statement by statement into a ScriptLineage.
 */
import type { CreateTable, DeclaredColumn } from '../table-ddl.ts';
import { originKey, SEP, type Acc, type Relation } from './relations.ts';
import { identityOf, resourceOf } from './resources.ts';
import type { LineageTable, LineageWrite, ResolveValue, ScriptLineage } from './types.ts';

export interface TableState {
  info: LineageTable;
  options: Record<string, string>;
  cols: DeclaredColumn[];
  watermark: string | null;
  /** The query of a view. */
  view: Relation | null;
}

export class Analyzer {
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
