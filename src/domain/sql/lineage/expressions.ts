/** Column lineage of expressions: which base-table columns a value derives from, and column references. */
import { Cursor } from './cursor.ts';
import { HARD, SOFT } from './keywords.ts';
import {
  absorb,
  EMPTY,
  findCol,
  union,
  type Acc,
  type Col,
  type Ctes,
  type OriginSet,
  type Relation,
  type Scope,
  type ScopeRel,
} from './relations.ts';

export abstract class ExpressionReader extends Cursor {
  /** A query's relation (queries.ts); expressions hold subqueries. */
  protected abstract query(from: number, to: number, outer: Scope | null, ctes: Ctes): Relation;

  /** Subqueries in WHERE, HAVING, ON...: they add sources, not column lineage. */
  protected subqueries(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): void {
    for (let i = from; i < to;) {
      if (this.isP(i, '(') && this.startsQuery(i + 1)) {
        const c = this.close(i, to);
        absorb(acc, this.query(i + 1, c, scope, ctes));
        i = c + 1;
      } else i++;
    }
  }

  /** `AS t(a, b)`, a view's or a CTE's column list: positional renaming. */
  protected renamed(rel: Relation, names: string[], at: number): Relation {
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

  /** The base-table columns an expression derives from. */
  protected expr(from: number, to: number, scope: Scope, ctes: Ctes, acc: Acc): OriginSet {
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
  protected skipType(from: number, to: number): number {
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

  protected findRel(scope: Scope, parts: string[]): { rel: ScopeRel; consumed: number } | undefined {
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const q = parts.slice(0, k).join('.').toLowerCase();
      const rel = scope.rels.find((r) => r.qualifiers.includes(q) || (k === 1 && r.anyQualifier));
      if (rel) return { rel, consumed: k };
    }
    return undefined;
  }

  protected colOf(
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
  protected resolve(
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
