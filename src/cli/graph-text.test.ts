import { describe, expect, it } from 'vitest';
import type { JobGraphView } from '../contract/jobs.ts';
import { graphText } from './graph-text.ts';

const view: JobGraphView = {
  job: 'orders',
  target: 'local-1.20',
  run: 'b'.repeat(32),
  at: '2026-12-03T12:00:00.000Z',
  source: 'jobmanager',
  vertices: [
    {
      id: 'v1',
      name: 'Source: src[1]',
      parallelism: 2,
      backpressure: { level: 'high', ratio: 0.934 },
      busyRatio: 0.05,
      recordsInPerSecond: 0,
      recordsOutPerSecond: 1234.5,
      subtasks: [
        { subtask: 0, backpressure: { level: 'high', ratio: 0.934 }, busyRatio: 0.05, idleRatio: 0 },
        { subtask: 1, backpressure: { level: 'low', ratio: 0.2 }, busyRatio: 0.7, idleRatio: null },
      ],
    },
    {
      id: 'v2',
      name: 'Sink: snk[2]',
      parallelism: 1,
      backpressure: null,
      busyRatio: null,
      recordsInPerSecond: null,
      recordsOutPerSecond: null,
      subtasks: [],
    },
  ],
  edges: [{ from: 'v1', to: 'v2', shipStrategy: 'HASH' }],
};

describe('sluice job graph', () => {
  it('prints each vertex with its backpressure, busy time, records per second, then the edges', () => {
    const text = graphText(view);
    expect(text).not.toContain('subtask');
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^#\s+VERTEX\s+PARALLELISM\s+BACKPRESSURE\s+BUSY\s+IN\/S\s+OUT\/S$/);
    expect(lines[2]).toMatch(/^1\s+Source: src\[1\]\s+2\s+HIGH 93%\s+5%\s+0\.0\s+1235$/);
    expect(lines[3]).toMatch(/^2\s+Sink: snk\[2\]\s+1\s+-\s+-\s+-\s+-$/);
    expect(text).toContain('edges: #1 -> #2 (HASH)');
    expect(lines[0]).toBe(`job orders, run ${'b'.repeat(32)} on local-1.20, at 2026-12-03T12:00:00.000Z`);
    // A past moment says where its colours come from.
    expect(graphText({ ...view, source: 'prometheus' }).split('\n')[0]).toContain(
      "from Prometheus's samples",
    );
  });

  it("prints each vertex's subtasks when asked", () => {
    const text = graphText(view, { subtasks: true });
    const from = text.split('\n').findIndex((l) => l === '#1 Source: src[1]');
    expect(from).toBeGreaterThan(0);
    const lines = text.split('\n').slice(from + 1);
    expect(lines[0]).toMatch(/^SUBTASK\s+BACKPRESSURE\s+BUSY\s+IDLE$/);
    expect(lines[1]).toMatch(/^0\s+HIGH 93%\s+5%\s+0%$/);
    expect(lines[2]).toMatch(/^1\s+LOW 20%\s+70%\s+-$/);
    expect(text).toContain('#2 Sink: snk[2]: no subtask sampled yet');
  });
});
