import { describe, expect, it } from 'vitest';
import type { ScriptLineage } from '../../../contract/sql.ts';
import { layoutLineage, scriptLineageGraph, type LayoutEdge, type LineageLayout } from './lineage-layout.ts';

const graph = (edges: [string, string][], extra: string[] = []) => ({
  nodes: [...new Set([...edges.flat(), ...extra])].map((id) => ({ id })),
  edges: edges.map(([from, to]) => ({ from, to })),
});
const col = (l: LineageLayout, id: string) => l.byId.get(id)!.column;
const row = (l: LineageLayout, id: string) => l.byId.get(id)!.row;
const y = (l: LineageLayout, id: string) => l.byId.get(id)!.y;

/** Pairs of edges between the same two adjacent columns that cross. */
function crossings(l: LineageLayout, edges: LayoutEdge[]): number {
  let n = 0;
  for (const a of edges)
    for (const b of edges) {
      if (a === b || col(l, a.from) !== col(l, b.from) || col(l, a.to) !== col(l, b.to)) continue;
      if (y(l, a.from) < y(l, b.from) && y(l, a.to) > y(l, b.to)) n++;
    }
  return n;
}

describe('layoutLineage', () => {
  it('lays out nothing for an empty graph', () => {
    const l = layoutLineage({ nodes: [], edges: [] });
    expect(l.nodes).toEqual([]);
    expect([l.columns, l.rows, l.width, l.height]).toEqual([0, 0, 0, 0]);
  });

  it('puts a chain in columns by depth, from the source to the sink', () => {
    const l = layoutLineage(
      graph([
        ['table:orders', 'job:enrich'],
        ['job:enrich', 'table:enriched'],
      ]),
    );
    expect(['table:orders', 'job:enrich', 'table:enriched'].map((id) => col(l, id))).toEqual([0, 1, 2]);
    expect(new Set(l.nodes.map((n) => n.y)).size).toBe(1);
    expect(l.columns).toBe(3);
    expect(l.byId.get('job:enrich')!.x).toBe(300);
  });

  it('stacks nodes of a column in rows and centres a smaller column', () => {
    const l = layoutLineage(
      graph([
        ['table:a', 'job:j'],
        ['table:b', 'job:j'],
      ]),
    );
    expect(col(l, 'table:a')).toBe(0);
    expect(col(l, 'table:b')).toBe(0);
    expect([row(l, 'table:a'), row(l, 'table:b')].sort()).toEqual([0, 1]);
    expect(y(l, 'job:j')).toBe((y(l, 'table:a') + y(l, 'table:b')) / 2);
    expect(l.rows).toBe(2);
  });

  it('places a source next to the first node that reads it', () => {
    const l = layoutLineage(
      graph([
        ['table:a', 'job:one'],
        ['job:one', 'table:mid'],
        ['table:mid', 'job:two'],
        ['table:dim', 'job:two'],
        ['job:two', 'table:out'],
      ]),
    );
    expect(col(l, 'table:a')).toBe(0);
    expect(col(l, 'job:two')).toBe(3);
    expect(col(l, 'table:dim')).toBe(2);
    expect(col(l, 'table:out')).toBe(4);
  });

  it('uses the longest path when a node is reached in several ways', () => {
    const l = layoutLineage(
      graph([
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ]),
    );
    expect([col(l, 'a'), col(l, 'b'), col(l, 'c')]).toEqual([0, 1, 2]);
  });

  it('breaks a cycle (a job reading what it writes) and reports the edge that closes it', () => {
    const l = layoutLineage(
      graph([
        ['table:t', 'job:loop'],
        ['job:loop', 'table:t'],
        ['table:src', 'job:loop'],
      ]),
    );
    expect(l.nodes).toHaveLength(3);
    expect(col(l, 'table:src')).toBe(0);
    expect(col(l, 'job:loop')).toBe(1);
    expect(col(l, 'table:t')).toBe(2);
    expect(l.backEdges).toEqual([{ from: 'table:t', to: 'job:loop' }]);
  });

  it('lays out a graph that is one cycle', () => {
    const l = layoutLineage(
      graph([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
      ]),
    );
    expect([col(l, 'a'), col(l, 'b'), col(l, 'c')]).toEqual([0, 1, 2]);
    expect(l.backEdges).toEqual([{ from: 'c', to: 'a' }]);
  });

  it('orders rows so that parallel flows do not cross', () => {
    const edges: [string, string][] = [
      ['s1', 'j-b'],
      ['s2', 'j-a'],
      ['j-b', 'z1'],
      ['j-a', 'y2'],
      ['k', 'j-a'],
      ['k', 'j-b'],
    ];
    const l = layoutLineage(graph(edges));
    expect(crossings(l, graph(edges).edges)).toBe(0);
  });

  it('reorders rows to remove crossings that the walk order would make', () => {
    // Walked from a, b, c: x, then y, in the second column; c -> x would cross b -> y.
    const edges: [string, string][] = [
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'x'],
      ['x', 'z'],
      ['y', 'z'],
    ];
    const l = layoutLineage(graph(edges));
    expect(crossings(l, graph(edges).edges)).toBe(0);
    expect(row(l, 'c')).toBeLessThan(row(l, 'b'));
  });

  it('stacks unconnected parts, the largest first, without overlapping', () => {
    const l = layoutLineage(
      graph(
        [
          ['a', 'ja'],
          ['b', 'jb'],
          ['jb', 'out'],
        ],
        ['lonely'],
      ),
    );
    const part = (id: string) => l.byId.get(id)!.component;
    expect(part('b')).toBe(0);
    expect(part('a')).toBe(1);
    expect(part('lonely')).toBe(2);
    expect(y(l, 'a')).toBeGreaterThan(y(l, 'b'));
    expect(y(l, 'lonely')).toBeGreaterThan(y(l, 'a'));
    expect(y(l, 'a') - y(l, 'b')).toBe(2 * 96);
    expect(l.rows).toBe(5);
  });

  it('never puts two nodes at the same place', () => {
    const edges: [string, string][] = [];
    for (let j = 0; j < 12; j++) {
      edges.push([`t${j % 5}`, `job${j}`], [`job${j}`, `t${(j * 7 + 3) % 9}`], [`job${j}`, `sink${j % 4}`]);
    }
    const l = layoutLineage(graph(edges));
    const places = l.nodes.map((n) => `${n.x},${n.y}`);
    expect(new Set(places).size).toBe(places.length);
    expect(l.nodes).toHaveLength(graph(edges).nodes.length);
  });

  it('is deterministic: the order of nodes and edges does not matter', () => {
    const edges: [string, string][] = [
      ['t1', 'j1'],
      ['t2', 'j1'],
      ['j1', 't3'],
      ['t3', 'j2'],
      ['t3', 'j3'],
      ['j2', 't4'],
      ['j3', 't5'],
      ['t5', 'j1'],
      ['x', 'jx'],
    ];
    const a = layoutLineage(graph(edges));
    const shuffled = graph([...edges].reverse(), []);
    shuffled.nodes.reverse();
    const b = layoutLineage(shuffled);
    expect(b.nodes).toEqual(a.nodes);
    expect(b.backEdges).toEqual(a.backEdges);
    expect(layoutLineage(graph(edges)).nodes).toEqual(a.nodes);
  });

  it('ignores self-loops, duplicate edges and edges to unknown nodes', () => {
    const l = layoutLineage({
      nodes: [{ id: 'a' }, { id: 'b' }, { id: 'a' }],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'b' },
        { from: 'b', to: 'ghost' },
      ],
    });
    expect(l.nodes.map((n) => [n.id, n.column])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(l.backEdges).toEqual([]);
  });

  it('uses the given spacing', () => {
    const l = layoutLineage(
      graph([
        ['a', 'b'],
        ['a', 'c'],
      ]),
      { columnWidth: 200, rowHeight: 50 },
    );
    expect(l.byId.get('b')!.x).toBe(200);
    expect(Math.abs(y(l, 'b') - y(l, 'c'))).toBe(50);
    expect(y(l, 'a')).toBe(25);
    expect([l.width, l.height]).toEqual([200, 50]);
  });
});

describe('scriptLineageGraph', () => {
  const table = (name: string, extra: Partial<ScriptLineage['tables'][number]> = {}) => ({
    name,
    kind: 'table' as const,
    line: 1,
    connector: 'kafka',
    identity: {},
    resource: null,
    columns: [],
    reads: false,
    writes: false,
    ...extra,
  });
  const write = (sink: string, sources: string[], line: number, via: string[] = []) => ({
    sink,
    line,
    statement: `INSERT INTO ${sink} ...`,
    sources,
    via,
    columns: [],
  });

  it('links every source of an INSERT to its sink, through views', () => {
    const g = scriptLineageGraph({
      tables: [
        table('Orders', { reads: true, resource: 'kafka://b:9092/orders' }),
        table('products', { reads: true, connector: 'jdbc' }),
        table('v_orders', { kind: 'view', reads: true }),
        table('unused'),
        table('out', { writes: true, connector: 'print' }),
      ],
      writes: [write('out', ['orders', 'products'], 10, ['v_orders']), write('out', ['orders'], 14)],
      notes: [],
    });
    expect(g.nodes.map((n) => n.id)).toEqual(['orders', 'out', 'products']);
    expect(g.nodes.find((n) => n.id === 'orders')).toMatchObject({
      name: 'Orders',
      reads: true,
      writes: false,
      resource: 'kafka://b:9092/orders',
    });
    expect(g.nodes.find((n) => n.id === 'out')).toMatchObject({ writes: true, connector: 'print' });
    expect(g.edges).toEqual([
      { from: 'orders', to: 'out', lines: [10, 14], via: ['v_orders'] },
      { from: 'products', to: 'out', lines: [10], via: ['v_orders'] },
    ]);
    const l = layoutLineage(g);
    expect([l.byId.get('orders')!.column, l.byId.get('out')!.column]).toEqual([0, 1]);
  });

  it('adds a catalog table the script uses without declaring it', () => {
    const g = scriptLineageGraph({
      tables: [table('sink', { writes: true })],
      writes: [write('sink', ['cat.db.src'], 3)],
      notes: [],
    });
    expect(g.nodes.find((n) => n.id === 'cat.db.src')).toMatchObject({ kind: 'undeclared', reads: true });
  });
});
