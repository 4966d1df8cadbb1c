/** FROM: tables, views and CTEs, joins, table functions, window TVFs, MATCH_RECOGNIZE. */
import { identText } from './cursor.ts';
import { ExpressionReader } from './expressions.ts';
import { HARD, JOIN_WORDS, MR_CLAUSES, WINDOW_TVFS } from './keywords.ts';
import {
  absorb,
  EMPTY,
  emptyRelation,
  findCol,
  type Acc,
  type Col,
  type Ctes,
  type Relation,
  type Scope,
} from './relations.ts';

export abstract class FromReader extends ExpressionReader {
  protected from(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): void {
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

  protected tableRef(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): number {
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

  protected skipToNextRef(from: number, to: number): number {
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
  protected skipTemporal(from: number, to: number): number {
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
  protected named(parts: string[], ctes: Ctes): Relation {
    if (parts.length === 1) {
      const cte = ctes.get(parts[0]!.toLowerCase());
      if (cte) return cte;
    }
    return this.a.relationOf(this.a.table(parts.join('.')));
  }

  protected tableFunction(
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
  protected windowTvf(fname: string, from: number, to: number, ctes: Ctes): { rel: Relation; label: string } {
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
  protected matchRecognize(input: Relation, label: string, from: number, to: number, ctes: Ctes): Relation {
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
}
