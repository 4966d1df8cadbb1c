/** Column lineage of queries: WITH, UNION/INTERSECT/EXCEPT, VALUES and SELECT lists. */
import { identText } from './cursor.ts';
import { FromReader } from './from.ts';
import {
  CLAUSE_AFTER_FROM,
  EXPR_END,
  FROM_OR_CLAUSE,
  HARD,
  SELECT_OR_VALUES,
  SET_OPS,
  SOFT,
} from './keywords.ts';
import {
  absorb,
  EMPTY,
  emptyRelation,
  findCol,
  union,
  uniquify,
  type Acc,
  type Col,
  type Ctes,
  type OriginSet,
  type Relation,
  type Scope,
  type ScopeRel,
} from './relations.ts';

const MAX_DEPTH = 64;

export class QueryReader extends FromReader {
  private depth = 0;

  protected query(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
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

  protected queryBody(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
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
  protected setOperation(rels: Relation[], at: number): Relation {
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

  protected term(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
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

  protected values(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
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

  protected select(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation {
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

  protected selectItem(
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

  protected endsExpr(i: number): boolean {
    const t = this.t(i);
    if (t.kind === 'quoted' || t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind === 'punct') return t.text === ')' || t.text === ']';
    if (t.kind === 'word') return !HARD.has(t.value) || EXPR_END.has(t.value);
    return false;
  }
}
