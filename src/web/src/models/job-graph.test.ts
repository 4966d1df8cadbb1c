import { describe, expect, it } from 'vitest';
import { graphCanvas, LEVEL_COLOURS, shownVertex, subtaskRows, vertexLevel } from './job-graph.ts';

const vertex = (id: string, backpressure: { level: 'ok' | 'low' | 'high'; ratio: number } | null) => ({
  id,
  name: `op ${id}`,
  parallelism: 2,
  backpressure,
  busyRatio: backpressure ? 0.25 : null,
  recordsInPerSecond: backpressure ? 12.34 : null,
  recordsOutPerSecond: backpressure ? 2500 : null,
  subtasks: backpressure
    ? [
        { subtask: 0, backpressure, busyRatio: 0.25, idleRatio: 0 },
        { subtask: 1, backpressure: null, busyRatio: null, idleRatio: 0.5 },
      ]
    : [],
});

const viewOf = (vertices: ReturnType<typeof vertex>[]) => ({
  job: 'orders',
  target: 'local-1.20',
  run: 'b'.repeat(32),
  at: '2026-12-03T12:00:00.000Z',
  source: 'jobmanager' as const,
  vertices,
  edges: [],
});

describe('the job graph as boxes and arrows', () => {
  it('borders each vertex in its level’s colour with its numbers as tags; edges labelled by ship strategy', () => {
    const view = {
      job: 'orders',
      target: 'local-1.20',
      run: 'b'.repeat(32),
      at: '2026-12-03T12:00:00.000Z',
      source: 'jobmanager' as const,
      vertices: [vertex('a', { level: 'high', ratio: 0.8 }), vertex('b', null)],
      edges: [{ from: 'a', to: 'b', shipStrategy: 'HASH' }],
    };
    const { nodes, edges } = graphCanvas(view, (k, v) => (v ? `${k} ${v}` : k));
    expect(nodes[0]).toMatchObject({ kind: 'vertex', accent: LEVEL_COLOURS.high, testId: 'graph-vertex-0' });
    expect(nodes[0]!.tags!.map((t) => t.text)).toEqual([
      'parallelism 2',
      'backpressure HIGH 80%',
      'busy 25%',
      'in 12.3/s',
      'out 2.50k/s',
    ]);
    expect(nodes[1]).toMatchObject({ accent: LEVEL_COLOURS.unknown });
    expect(nodes[1]!.tags!.map((t) => t.text)).toEqual(['parallelism 2', 'notSampled']);
    expect(edges).toEqual([{ id: 'a-b', from: 'a', to: 'b', label: 'HASH' }]);
    expect(vertexLevel(vertex('c', { level: 'low', ratio: 0.3 }))).toBe('low');
  });
});

describe('the subtasks under the graph', () => {
  it('shows the chosen vertex, else the most back-pressured, else the first', () => {
    const view = viewOf([
      vertex('a', null),
      vertex('b', { level: 'low', ratio: 0.3 }),
      vertex('c', { level: 'high', ratio: 0.9 }),
    ]);
    expect(shownVertex(view, null)?.id).toBe('c');
    expect(shownVertex(view, 'a')?.id).toBe('a');
    // A vertex gone from the graph (a new run) falls back to the most back-pressured.
    expect(shownVertex(view, 'gone')?.id).toBe('c');
    expect(shownVertex(viewOf([vertex('x', null), vertex('y', null)]), null)?.id).toBe('x');
    expect(shownVertex(viewOf([]), null)).toBeNull();
  });

  it('gives each subtask its level, backpressure, busy and idle time', () => {
    expect(subtaskRows(vertex('a', { level: 'high', ratio: 0.934 }))).toEqual([
      { key: 0, subtask: 0, level: 'high', backpressure: 'HIGH 93%', busy: '25%', idle: '0%' },
      { key: 1, subtask: 1, level: 'unknown', backpressure: null, busy: null, idle: '50%' },
    ]);
  });
});
