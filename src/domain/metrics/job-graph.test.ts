import { describe, expect, it } from 'vitest';
import {
  backpressureLevel,
  graphQueries,
  jobGraphAt,
  jobGraphOf,
  shapeOf,
  vertexIdsOf,
  type GraphSample,
  type GraphSeries,
} from './job-graph.ts';

const SRC = 'cbc357ccb763df2852fee8c4fc7d55f2';
const SNK = '90bea66de1c231edf33913ecd54406c1';

// As Flink 1.20's JobManager answers (trimmed to what is read).
const job = {
  jid: 'a'.repeat(32),
  vertices: [
    { id: SRC, name: 'Source: src[1] -> Calc[2]', parallelism: 2, status: 'RUNNING' },
    { id: SNK, name: 'GroupAggregate[4] -> Sink: snk[5]', parallelism: 1, status: 'RUNNING' },
  ],
  plan: {
    nodes: [
      {
        id: SNK,
        parallelism: 1,
        inputs: [{ num: 0, id: SRC, ship_strategy: 'HASH', exchange: 'pipelined' }],
      },
      { id: SRC, parallelism: 2 },
    ],
  },
};

describe('backpressure levels by Flink’s thresholds', () => {
  it('is ok up to 10%, low up to 50%, high above', () => {
    expect([0, 0.1, 0.1001, 0.5, 0.5001, 1].map(backpressureLevel)).toEqual([
      'ok',
      'ok',
      'low',
      'low',
      'high',
      'high',
    ]);
  });
});

describe('a job’s graph from the JobManager’s answers', () => {
  it('gives each vertex its parallelism, its most back-pressured and busiest subtask, its records per second; the edges from the plan', () => {
    const g = jobGraphOf({
      job,
      backpressure: {
        [SRC]: {
          status: 'ok',
          backpressureLevel: 'high',
          subtasks: [
            { subtask: 0, backpressureLevel: 'high', ratio: 0.93, idleRatio: 0, busyRatio: 0.07 },
            { subtask: 1, backpressureLevel: 'low', ratio: 0.4, idleRatio: 0.1, busyRatio: 0.5 },
          ],
        },
        [SNK]: { status: 'ok', subtasks: [{ subtask: 0, ratio: 0, idleRatio: 0, busyRatio: 1 }] },
      },
      metrics: {
        [SRC]: [
          { id: 'numRecordsInPerSecond', min: 0, max: 0, avg: 0, sum: 0 },
          { id: 'numRecordsOutPerSecond', min: 100, max: 150, avg: 125, sum: 250 },
        ],
        [SNK]: [{ id: 'numRecordsInPerSecond', min: 250, max: 250, avg: 250, sum: 250 }],
      },
    });
    expect(g.vertices).toEqual([
      {
        id: SRC,
        name: 'Source: src[1] -> Calc[2]',
        parallelism: 2,
        backpressure: { level: 'high', ratio: 0.93 },
        busyRatio: 0.5,
        recordsInPerSecond: 0,
        recordsOutPerSecond: 250,
        subtasks: [
          { subtask: 0, backpressure: { level: 'high', ratio: 0.93 }, busyRatio: 0.07, idleRatio: 0 },
          { subtask: 1, backpressure: { level: 'low', ratio: 0.4 }, busyRatio: 0.5, idleRatio: 0.1 },
        ],
      },
      {
        id: SNK,
        name: 'GroupAggregate[4] -> Sink: snk[5]',
        parallelism: 1,
        backpressure: { level: 'ok', ratio: 0 },
        busyRatio: 1,
        recordsInPerSecond: 250,
        recordsOutPerSecond: null,
        subtasks: [{ subtask: 0, backpressure: { level: 'ok', ratio: 0 }, busyRatio: 1, idleRatio: 0 }],
      },
    ]);
    expect(g.edges).toEqual([{ from: SRC, to: SNK, shipStrategy: 'HASH' }]);
  });

  it('has no backpressure before Flink sampled it (its "deprecated" answer), nor numbers it did not give', () => {
    const g = jobGraphOf({ job, backpressure: { [SRC]: { status: 'deprecated' } }, metrics: {} });
    expect(g.vertices[0]).toMatchObject({
      backpressure: null,
      busyRatio: null,
      recordsOutPerSecond: null,
      subtasks: [],
    });
    expect(g.vertices[1]).toMatchObject({ backpressure: null });
  });

  it('lists the subtasks by index, leaving out one without an index and a ratio Flink did not give', () => {
    const g = jobGraphOf({
      job,
      backpressure: {
        [SRC]: {
          subtasks: [
            { subtask: 1, ratio: 0.6, busyRatio: 0.1 },
            { ratio: 0.2 },
            { subtask: 0, busyRatio: 0.9, idleRatio: 0.1 },
          ],
        },
      },
      metrics: {},
    });
    expect(g.vertices[0]!.subtasks).toEqual([
      { subtask: 0, backpressure: null, busyRatio: 0.9, idleRatio: 0.1 },
      { subtask: 1, backpressure: { level: 'high', ratio: 0.6 }, busyRatio: 0.1, idleRatio: null },
    ]);
  });

  it('reads what it can of an unexpected answer and draws no edge to an unknown vertex', () => {
    expect(jobGraphOf({ job: 'nonsense', backpressure: {}, metrics: {} })).toEqual({
      vertices: [],
      edges: [],
    });
    const odd = {
      vertices: [{ id: SNK, parallelism: '3' }, { name: 'no id' }],
      plan: { nodes: [{ id: SNK, inputs: [{ id: 'gone' }] }] },
    };
    expect(jobGraphOf({ job: odd, backpressure: {}, metrics: {} })).toEqual({
      vertices: [expect.objectContaining({ id: SNK, name: SNK, parallelism: 3 })],
      edges: [],
    });
    expect(vertexIdsOf(job)).toEqual([SRC, SNK]);
    expect(vertexIdsOf(null)).toEqual([]);
  });
});

describe('a run’s graph at a moment, from Prometheus', () => {
  const RUN = 'a'.repeat(32);
  const shape = shapeOf(jobGraphOf({ job, backpressure: {}, metrics: {} }));
  const at = (labels: Record<string, string>, value: number): GraphSample => ({ labels, value });
  const none: Record<GraphSeries, GraphSample[]> = {
    backPressured: [],
    busy: [],
    idle: [],
    recordsIn: [],
    recordsOut: [],
  };

  it('keeps the shape of the run: vertices without measures, the plan’s edges', () => {
    expect(shape).toEqual({
      vertices: [
        { id: SRC, name: 'Source: src[1] -> Calc[2]', parallelism: 2 },
        { id: SNK, name: 'GroupAggregate[4] -> Sink: snk[5]', parallelism: 1 },
      ],
      edges: [{ from: SRC, to: SNK, shipStrategy: 'HASH' }],
    });
  });

  it('asks per subtask for the times per second and per vertex for records, over the run only', () => {
    const q = graphQueries(RUN);
    expect(q.backPressured).toBe(
      `max by (task_id, subtask_index) (flink_taskmanager_job_task_backPressuredTimeMsPerSecond{job_id="${RUN}"})`,
    );
    expect(q.recordsOut).toBe(
      `sum by (task_id) (flink_taskmanager_job_task_numRecordsOutPerSecond{job_id="${RUN}"})`,
    );
    expect(() => graphQueries('x|.*')).toThrow(/not a Flink job id/);
  });

  it('colours each vertex by its most back-pressured subtask with Flink’s thresholds, ms per second as a share', () => {
    const graph = jobGraphAt(shape, {
      backPressured: [
        at({ task_id: SRC, subtask_index: '1' }, 950),
        at({ task_id: SRC, subtask_index: '0' }, 80),
        at({ task_id: SNK, subtask_index: '0' }, 0),
        // Another run's vertex is not this graph's.
        at({ task_id: 'f'.repeat(32), subtask_index: '0' }, 1000),
      ],
      busy: [
        at({ task_id: SRC, subtask_index: '0' }, 300),
        at({ task_id: SRC, subtask_index: '1' }, NaN),
        at({ task_id: SNK, subtask_index: '0' }, 1004),
      ],
      idle: [at({ task_id: SNK, subtask_index: '0' }, 0)],
      recordsIn: [at({ task_id: SNK }, 1234.5)],
      recordsOut: [at({ task_id: SRC }, 99), at({ task_id: SNK }, Infinity)],
    });
    const [src, snk] = graph.vertices;
    expect(src).toMatchObject({
      id: SRC,
      parallelism: 2,
      backpressure: { level: 'high', ratio: 0.95 },
      busyRatio: 0.3,
      recordsInPerSecond: null,
      recordsOutPerSecond: 99,
    });
    expect(src!.subtasks).toEqual([
      { subtask: 0, backpressure: { level: 'ok', ratio: 0.08 }, busyRatio: 0.3, idleRatio: null },
      { subtask: 1, backpressure: { level: 'high', ratio: 0.95 }, busyRatio: null, idleRatio: null },
    ]);
    // A share never above the whole second (Flink's timers may round over it).
    expect(snk).toMatchObject({
      backpressure: { level: 'ok', ratio: 0 },
      busyRatio: 1,
      recordsInPerSecond: 1234.5,
      recordsOutPerSecond: null,
    });
    expect(graph.edges).toEqual(shape.edges);
  });

  it('shows a vertex without series at that moment without a level (grey), its shape kept', () => {
    const graph = jobGraphAt(shape, none);
    expect(graph.vertices.map((v) => [v.name, v.parallelism, v.backpressure, v.subtasks])).toEqual([
      ['Source: src[1] -> Calc[2]', 2, null, []],
      ['GroupAggregate[4] -> Sink: snk[5]', 1, null, []],
    ]);
  });
});
