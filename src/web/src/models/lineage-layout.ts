/**
 * Layout of a lineage graph, without React: every node gets a column (its depth from the sources, so
 * data flows left to right towards the sinks) and a row within its column. Unconnected parts of the
 * graph are laid out on their own and stacked from top to bottom.
 *
 * The result depends only on the set of node ids and edges, never on their order or on the locale:
 * the same graph always looks the same.
 */
import type { ReactNode } from 'react';
import type { ScriptLineage } from '../../../contract/sql.ts';

/** A box of the canvas: a job, or a table (with what it is and where its data lives), or a vertex of a running job. */
export interface CanvasNode {
  id: string;
  kind: 'job' | 'table' | 'vertex';
  /** The colour of its border, instead of its kind's (a vertex's backpressure). */
  accent?: string;
  title: string;
  subtitle?: string | null;
  tags?: { text: string; color?: string }[];
  /** Shown when the pointer rests on the box. */
  tooltip?: ReactNode;
  /** A pointer cursor: clicking does something. */
  clickable?: boolean;
  /** Drawn emphasised: the job the view is narrowed to. */
  highlighted?: boolean;
  testId?: string;
}

export interface CanvasEdge {
  id: string;
  from: string;
  to: string;
  label?: string;
}

export interface LayoutEdge {
  from: string;
  to: string;
}

export interface LayoutInput {
  nodes: readonly { id: string }[];
  edges: readonly LayoutEdge[];
}

export interface LayoutOptions {
  /** Horizontal distance between two columns. */
  columnWidth: number;
  /** Vertical distance between two rows. */
  rowHeight: number;
  /** Empty rows between two unconnected parts of the graph. */
  componentGap: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { columnWidth: 300, rowHeight: 96, componentGap: 1 };

export interface PlacedNode {
  id: string;
  /** Depth from the sources: 0 for a node nothing flows into. */
  column: number;
  /** Position within its column, in its part of the graph (0 = top). */
  row: number;
  /** Which unconnected part of the graph it belongs to (0 = the largest). */
  component: number;
  x: number;
  y: number;
}

export interface LineageLayout {
  /** Ordered by column, then by y. */
  nodes: PlacedNode[];
  byId: Map<string, PlacedNode>;
  /** Edges that close a cycle (a job that reads what it writes): they point right to left. */
  backEdges: LayoutEdge[];
  columns: number;
  /** Height of the whole layout, in rows (gaps included). */
  rows: number;
  width: number;
  height: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const edgeKey = (e: LayoutEdge): string => `${e.from}\u0000${e.to}`;

/** Ordering sweeps of the barycenter heuristic (each goes down then up). */
const SWEEPS = 4;

export function layoutLineage(input: LayoutInput, options: Partial<LayoutOptions> = {}): LineageLayout {
  const opts = { ...DEFAULT_LAYOUT, ...options };
  const ids = [...new Set(input.nodes.map((n) => n.id))].sort(cmp);
  const known = new Set(ids);
  const edges = new Map<string, LayoutEdge>();
  for (const e of input.edges)
    if (e.from !== e.to && known.has(e.from) && known.has(e.to))
      edges.set(edgeKey(e), { from: e.from, to: e.to });
  const edgeList = [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));

  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const inc = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edgeList) {
    out.get(e.from)!.push(e.to);
    inc.get(e.to)!.push(e.from);
  }

  const placed: PlacedNode[] = [];
  const backEdges: LayoutEdge[] = [];
  let rowOffset = 0;
  let columns = 0;
  components(ids, out, inc).forEach((members, component) => {
    const part = layoutComponent(members, out, inc);
    backEdges.push(...part.backEdges);
    columns = Math.max(columns, part.columns.length);
    const height = Math.max(...part.columns.map((c) => c.length));
    part.columns.forEach((column, c) => {
      const centre = (height - column.length) / 2;
      column.forEach((id, row) =>
        placed.push({
          id,
          column: c,
          row,
          component,
          x: c * opts.columnWidth,
          y: (rowOffset + centre + row) * opts.rowHeight,
        }),
      );
    });
    rowOffset += height + opts.componentGap;
  });
  const rows = Math.max(0, rowOffset - opts.componentGap);
  placed.sort((a, b) => a.column - b.column || a.y - b.y);
  return {
    nodes: placed,
    byId: new Map(placed.map((p) => [p.id, p])),
    backEdges: backEdges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)),
    columns,
    rows,
    width: columns ? (columns - 1) * opts.columnWidth : 0,
    height: rows ? (rows - 1) * opts.rowHeight : 0,
  };
}

/** Weakly connected parts, the largest first (then the one with the smallest id). */
function components(ids: string[], out: Map<string, string[]>, inc: Map<string, string[]>): string[][] {
  const seen = new Set<string>();
  const parts: string[][] = [];
  for (const start of ids) {
    if (seen.has(start)) continue;
    const part: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const id = stack.pop()!;
      part.push(id);
      for (const n of [...out.get(id)!, ...inc.get(id)!])
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
    }
    parts.push(part.sort(cmp));
  }
  return parts.sort((a, b) => b.length - a.length || cmp(a[0]!, b[0]!));
}

function layoutComponent(
  members: string[],
  out: Map<string, string[]>,
  inc: Map<string, string[]>,
): { columns: string[][]; backEdges: LayoutEdge[] } {
  // 1. Break cycles: a depth-first walk from the sources; an edge back to a node on the walk's path
  // closes a cycle and is left out of the layering. The walk's order also seeds the row order.
  const back = new Set<string>();
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const roots = [...members.filter((id) => inc.get(id)!.length === 0), ...members];
  for (const root of roots) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    order.push(root);
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top.id)!;
      if (top.next >= succ.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const n = succ[top.next++]!;
      const s = state.get(n);
      if (s === 'open') back.add(edgeKey({ from: top.id, to: n }));
      else if (!s) {
        state.set(n, 'open');
        order.push(n);
        stack.push({ id: n, next: 0 });
      }
    }
  }
  const forward = (from: string, to: string) => !back.has(edgeKey({ from, to }));
  const preds = new Map(members.map((id) => [id, inc.get(id)!.filter((p) => forward(p, id))]));
  const succs = new Map(members.map((id) => [id, out.get(id)!.filter((s) => forward(id, s))]));

  // 2. Columns: the longest path from a source (a topological walk in the walk's order).
  const depth = new Map<string, number>();
  const waiting = new Map(members.map((id) => [id, preds.get(id)!.length]));
  const queue = order.filter((id) => waiting.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const d = Math.max(0, ...preds.get(id)!.map((p) => depth.get(p)! + 1));
    depth.set(id, d);
    for (const s of succs.get(id)!) {
      const left = waiting.get(s)! - 1;
      waiting.set(s, left);
      if (left === 0) queue.push(s);
    }
  }
  // A source sits just left of the first node that reads it, not at the far left of a long chain.
  for (const id of order)
    if (preds.get(id)!.length === 0 && succs.get(id)!.length > 0)
      depth.set(id, Math.min(...succs.get(id)!.map((s) => depth.get(s)!)) - 1);

  const width = Math.max(...members.map((id) => depth.get(id)!)) + 1;
  const columns: string[][] = Array.from({ length: width }, () => []);
  for (const id of order) columns[depth.get(id)!]!.push(id);

  // 3. Rows: barycenter sweeps, each node towards the mean row of its neighbours in the column
  // before (going down) or after (going up); ties keep the current order.
  const rowOf = new Map<string, number>();
  const index = () => columns.forEach((col) => col.forEach((id, r) => rowOf.set(id, r)));
  index();
  const reorder = (c: number, neighbours: (id: string) => string[], ref: number) => {
    const col = columns[c]!;
    const key = new Map(
      col.map((id) => {
        const ns = neighbours(id).filter((n) => depth.get(n) === ref);
        return [id, ns.length ? ns.reduce((s, n) => s + rowOf.get(n)!, 0) / ns.length : rowOf.get(id)!];
      }),
    );
    col.sort((a, b) => key.get(a)! - key.get(b)! || rowOf.get(a)! - rowOf.get(b)!);
    col.forEach((id, r) => rowOf.set(id, r));
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let c = 1; c < width; c++) reorder(c, (id) => preds.get(id)!, c - 1);
    for (let c = width - 2; c >= 0; c--) reorder(c, (id) => succs.get(id)!, c + 1);
  }

  const inPart = new Set(members);
  const backEdges = [...back]
    .map((k) => {
      const [from, to] = k.split('\u0000') as [string, string];
      return { from, to };
    })
    .filter((e) => inPart.has(e.from));
  return { columns, backEdges };
}

// ---------------------------------------------------------------------------------------------------
// A single script's lineage as a graph: the tables it reads, an edge to each table an INSERT writes.

export interface ScriptGraphNode {
  id: string;
  /** The table's name as the script writes it. */
  name: string;
  kind: 'table' | 'view' | 'undeclared';
  connector: string | null;
  resource: string | null;
  reads: boolean;
  writes: boolean;
}

export interface ScriptGraphEdge extends LayoutEdge {
  /** Lines of the INSERTs that write `to` from `from`. */
  lines: number[];
  /** Views the data goes through. */
  via: string[];
}

export function scriptLineageGraph(lineage: ScriptLineage): {
  nodes: ScriptGraphNode[];
  edges: ScriptGraphEdge[];
} {
  const nodes = new Map<string, ScriptGraphNode>();
  const node = (name: string): ScriptGraphNode => {
    const id = name.toLowerCase();
    let n = nodes.get(id);
    if (!n) {
      const t = lineage.tables.find((x) => x.name.toLowerCase() === id);
      n = {
        id,
        name: t?.name ?? name,
        kind: t?.kind ?? 'undeclared',
        connector: t?.connector ?? null,
        resource: t?.resource ?? null,
        reads: false,
        writes: false,
      };
      nodes.set(id, n);
    }
    return n;
  };
  for (const t of lineage.tables)
    if (t.kind !== 'view' && (t.reads || t.writes))
      Object.assign(node(t.name), { reads: t.reads, writes: t.writes });
  const edges = new Map<string, ScriptGraphEdge>();
  for (const w of lineage.writes) {
    const sink = node(w.sink);
    sink.writes = true;
    for (const s of w.sources) {
      const source = node(s);
      source.reads = true;
      const key = edgeKey({ from: source.id, to: sink.id });
      const e = edges.get(key);
      if (e) {
        if (!e.lines.includes(w.line)) e.lines.push(w.line);
        for (const v of w.via) if (!e.via.includes(v)) e.via.push(v);
      } else edges.set(key, { from: source.id, to: sink.id, lines: [w.line], via: [...w.via] });
    }
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)),
  };
}
