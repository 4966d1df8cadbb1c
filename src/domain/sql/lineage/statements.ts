/** Table extraction: CREATE TABLE / VIEW declare tables, INSERT and CREATE TABLE AS write them. */
import { applyLike, readCreateTable, type CreateTable } from '../table-ddl.ts';
import type { TableState } from './analyzer.ts';
import { AS_WORD, QUERY_START, QUIET_OTHER } from './keywords.ts';
import { emptyRelation, sortOrigins, type Relation } from './relations.ts';
import { QueryReader } from './queries.ts';
import type { LineageWrite } from './types.ts';
import { identText } from './cursor.ts';

export class StatementReader extends QueryReader {
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

  protected create(): void {
    let i = 1;
    if (this.isW(i, 'OR') && this.isW(i + 1, 'REPLACE')) i += 2;
    if (this.isW(i, 'TEMPORARY')) i++;
    if (this.isW(i, 'TABLE')) this.createTable(i + 1);
    else if (this.isW(i, 'VIEW')) this.createView(i + 1);
    // functions, catalogs, databases, models: no lineage
  }

  protected ifNotExists(i: number): boolean {
    return this.isW(i, 'IF') && this.isW(i + 1, 'NOT') && this.isW(i + 2, 'EXISTS');
  }

  /** `[IF NOT EXISTS] name` after CREATE TABLE/VIEW; null (with a note) when there is no name. */
  protected createdName(from: number, what: string): { name: string; next: number; ine: boolean } | null {
    const ine = this.ifNotExists(from);
    const at = ine ? from + 3 : from;
    const nm = this.chainAt(at);
    if (!nm) {
      this.note(at, `could not read the name of this CREATE ${what}`);
      return null;
    }
    return { name: nm.parts.join('.'), next: nm.next, ine };
  }

  protected createTable(from: number): void {
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

  protected createView(from: number): void {
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

  protected insert(at: number): void {
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

  protected write(
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
}
