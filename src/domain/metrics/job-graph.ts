/**
 * A running job's graph as Flink runs it: its vertices (operator chains) with their parallelism,
 * backpressure, busy time and records per second, and the edges between them, read from the JobManager's
 * REST API (`/jobs/{id}`, `/jobs/{id}/vertices/{vid}/backpressure`, `.../subtasks/metrics`). Pure: the
 * answers go in as Flink gave them and are read leniently across versions.
 */

import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { prometheusDurationMs } from './prometheus-settings.ts';

/** Flink's backpressure levels, its words lower-cased as its REST API answers them. */
export const BACKPRESSURE_LEVELS = ['ok', 'low', 'high'] as const;
export type BackpressureLevel = (typeof BACKPRESSURE_LEVELS)[number];

/**
 * The level of a back-pressured ratio (0 to 1) by Flink's own thresholds (its
 * JobVertexBackPressureHandler): OK up to 10%, LOW up to 50%, HIGH above.
 */
export function backpressureLevel(ratio: number): BackpressureLevel {
  if (ratio <= 0.1) return 'ok';
  if (ratio <= 0.5) return 'low';
  return 'high';
}

/** What the JobManager answered about one running job, as it answered. */
export interface FlinkJobGraphAnswers {
  /** `GET /jobs/{id}`: its `vertices` and its `plan`. */
  job: unknown;
  /** `GET /jobs/{id}/vertices/{vid}/backpressure`, per vertex id (absent when it could not be read). */
  backpressure: Record<string, unknown>;
  /** `GET /jobs/{id}/vertices/{vid}/subtasks/metrics?get=...`, per vertex id: each metric over the subtasks. */
  metrics: Record<string, unknown>;
}

/** The metrics asked per vertex, summed over its subtasks. */
export const VERTEX_METRICS = ['numRecordsInPerSecond', 'numRecordsOutPerSecond'] as const;

/** One subtask of a vertex as Flink's backpressure sample saw it. */
export interface JobGraphSubtask {
  /** Its index (0-based, as Flink numbers subtasks). */
  subtask: number;
  /** The share of time it waited for buffers downstream and its level; null when Flink gave no ratio. */
  backpressure: { level: BackpressureLevel; ratio: number } | null;
  /** Its share of time busy and idle (0 to 1), null when Flink gave none. */
  busyRatio: number | null;
  idleRatio: number | null;
}

export interface JobGraphVertex {
  /** Flink's vertex id. */
  id: string;
  /** Its operators as Flink names the chain: `Source: src[1] -> Calc[2]`. */
  name: string;
  parallelism: number;
  /**
   * Its most back-pressured subtask: the share of time it waited for buffers downstream (0 to 1) and
   * its level by Flink's thresholds; null while Flink has not sampled it yet.
   */
  backpressure: { level: BackpressureLevel; ratio: number } | null;
  /** Its busiest subtask's share of time busy (0 to 1), null when not sampled yet. */
  busyRatio: number | null;
  /** Records per second over all its subtasks, null when Flink has none yet. */
  recordsInPerSecond: number | null;
  recordsOutPerSecond: number | null;
  /** Each subtask's backpressure and busy time, by index; empty while Flink has not sampled the vertex. */
  subtasks: JobGraphSubtask[];
}

export interface JobGraphEdge {
  from: string;
  to: string;
  /** How records go across: FORWARD, HASH, REBALANCE... as Flink's plan says. */
  shipStrategy: string | null;
}

export interface JobGraph {
  vertices: JobGraphVertex[];
  edges: JobGraphEdge[];
}

const obj = (x: unknown): Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const num = (x: unknown): number | null => {
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** The highest of a field over the subtasks of a backpressure answer, null when none has it. */
function highest(subtasks: unknown[], field: string): number | null {
  const values = subtasks.flatMap((s) => {
    const v = num(obj(s)[field]);
    return v === null ? [] : [v];
  });
  return values.length ? Math.max(...values) : null;
}

const levelled = (ratio: number | null) =>
  ratio === null ? null : { level: backpressureLevel(ratio), ratio };

/** One vertex's backpressure: Flink answers `deprecated` (no subtasks) until its metrics are fetched. */
function backpressureOf(answer: unknown): Pick<JobGraphVertex, 'backpressure' | 'busyRatio' | 'subtasks'> {
  const subtasks = list(obj(answer).subtasks);
  return {
    backpressure: levelled(highest(subtasks, 'ratio')),
    busyRatio: highest(subtasks, 'busyRatio'),
    subtasks: subtasks
      .flatMap((x): JobGraphSubtask[] => {
        const s = obj(x);
        const index = num(s.subtask);
        if (index === null) return [];
        return [
          {
            subtask: index,
            backpressure: levelled(num(s.ratio)),
            busyRatio: num(s.busyRatio),
            idleRatio: num(s.idleRatio),
          },
        ];
      })
      .sort((a, b) => a.subtask - b.subtask),
  };
}

/** A metric summed over the subtasks, from Flink's aggregated subtask metrics answer. */
function summed(answer: unknown, metric: string): number | null {
  const m = list(answer).find((x) => obj(x).id === metric);
  return m === undefined ? null : num(obj(m).sum);
}

/** The job's graph from the JobManager's answers, vertices in Flink's order (sources first). */
export function jobGraphOf(answers: FlinkJobGraphAnswers): JobGraph {
  const job = obj(answers.job);
  const vertices = list(job.vertices).flatMap((v): JobGraphVertex[] => {
    const { id, name, parallelism } = obj(v);
    if (typeof id !== 'string') return [];
    return [
      {
        id,
        name: str(name) ?? id,
        parallelism: num(parallelism) ?? 0,
        ...backpressureOf(answers.backpressure[id]),
        recordsInPerSecond: summed(answers.metrics[id], 'numRecordsInPerSecond'),
        recordsOutPerSecond: summed(answers.metrics[id], 'numRecordsOutPerSecond'),
      },
    ];
  });
  const known = new Set(vertices.map((v) => v.id));
  const edges = list(obj(job.plan).nodes).flatMap((n) => {
    const to = str(obj(n).id);
    if (to === null || !known.has(to)) return [];
    return list(obj(n).inputs).flatMap((i): JobGraphEdge[] => {
      const from = str(obj(i).id);
      return from !== null && known.has(from) ? [{ from, to, shipStrategy: str(obj(i).ship_strategy) }] : [];
    });
  });
  return { vertices, edges };
}

/** The vertex ids of a job's answer, for asking each one's backpressure and metrics. */
export const vertexIdsOf = (job: unknown): string[] =>
  list(obj(job).vertices).flatMap((v) => {
    const id = obj(v).id;
    return typeof id === 'string' ? [id] : [];
  });

/**
 * What the platform keeps of a run's graph when it is first seen RUNNING: its vertices and edges
 * without their measures, so that the graph of a finished run (or of a moment in the past) can still
 * be drawn, coloured from Prometheus.
 */
export interface RunGraphShape {
  vertices: Pick<JobGraphVertex, 'id' | 'name' | 'parallelism'>[];
  edges: JobGraphEdge[];
}

export const shapeOf = (graph: JobGraph): RunGraphShape => ({
  vertices: graph.vertices.map(({ id, name, parallelism }) => ({ id, name, parallelism })),
  edges: graph.edges,
});

/**
 * The task-scope series of Flink's Prometheus reporter the graph is coloured from at a moment. Each
 * carries `task_id` (the vertex id, as the REST API names it) and `subtask_index`.
 */
export const GRAPH_SERIES = {
  backPressured: 'flink_taskmanager_job_task_backPressuredTimeMsPerSecond',
  busy: 'flink_taskmanager_job_task_busyTimeMsPerSecond',
  idle: 'flink_taskmanager_job_task_idleTimeMsPerSecond',
  recordsIn: 'flink_taskmanager_job_task_numRecordsInPerSecond',
  recordsOut: 'flink_taskmanager_job_task_numRecordsOutPerSecond',
} as const;
export type GraphSeries = keyof typeof GRAPH_SERIES;

// A Flink job id is 32 hex digits: anything else would be a regex (or an injection) in the selector.
const RUN = /^[0-9a-f]{32}$/;

/**
 * The instant queries of a run's graph: per subtask for the three times per second (a restarted
 * subtask's attempts and TaskManagers collapse into one value), per vertex for records per second.
 */
export function graphQueries(run: string): Record<GraphSeries, string> {
  if (!RUN.test(run)) throw new Error(`'${run}' is not a Flink job id (32 hex digits)`);
  const sel = `{job_id="${run}"}`;
  const perSubtask = (m: string) => `max by (task_id, subtask_index) (${m}${sel})`;
  const perVertex = (m: string) => `sum by (task_id) (${m}${sel})`;
  return {
    backPressured: perSubtask(GRAPH_SERIES.backPressured),
    busy: perSubtask(GRAPH_SERIES.busy),
    idle: perSubtask(GRAPH_SERIES.idle),
    recordsIn: perVertex(GRAPH_SERIES.recordsIn),
    recordsOut: perVertex(GRAPH_SERIES.recordsOut),
  };
}

/** One series' value at the moment asked, as an instant query answers (NaN when Flink had none). */
export interface GraphSample {
  labels: Record<string, string>;
  value: number;
}

/** Milliseconds per second as the share of the second (0 to 1); NaN and ±Inf are no value. */
const share = (ms: number): number | null =>
  Number.isFinite(ms) ? Math.min(1, Math.max(0, ms / 1000)) : null;

/**
 * A run's graph at a moment: the kept shape, each vertex and subtask coloured from Prometheus's
 * values then, with Flink's thresholds as for the live graph. A vertex whose subtasks had no series
 * then shows no level (grey), as one Flink has not sampled yet.
 */
export function jobGraphAt(shape: RunGraphShape, answers: Record<GraphSeries, GraphSample[]>): JobGraph {
  const perSubtask = (key: 'backPressured' | 'busy' | 'idle', vertex: string) => {
    const m = new Map<number, number | null>();
    for (const s of answers[key]) {
      const index = num(s.labels['subtask_index']);
      if (s.labels['task_id'] === vertex && index !== null) m.set(index, share(s.value));
    }
    return m;
  };
  const perVertex = (key: 'recordsIn' | 'recordsOut', vertex: string) => {
    const s = answers[key].find((x) => x.labels['task_id'] === vertex);
    return s && Number.isFinite(s.value) ? s.value : null;
  };
  const highestOf = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length ? Math.max(...known) : null;
  };
  const vertices = shape.vertices.map((v): JobGraphVertex => {
    const pressed = perSubtask('backPressured', v.id);
    const busy = perSubtask('busy', v.id);
    const idle = perSubtask('idle', v.id);
    const indexes = [...new Set([...pressed.keys(), ...busy.keys(), ...idle.keys()])].sort((a, b) => a - b);
    const subtasks = indexes.map((subtask) => ({
      subtask,
      backpressure: levelled(pressed.get(subtask) ?? null),
      busyRatio: busy.get(subtask) ?? null,
      idleRatio: idle.get(subtask) ?? null,
    }));
    return {
      ...v,
      backpressure: levelled(highestOf([...pressed.values()])),
      busyRatio: highestOf([...busy.values()]),
      recordsInPerSecond: perVertex('recordsIn', v.id),
      recordsOutPerSecond: perVertex('recordsOut', v.id),
      subtasks,
    };
  });
  return { vertices, edges: shape.edges };
}

/**
 * The moment a graph is asked at: an ISO 8601 time, or how long before now as `-` and a Prometheus
 * duration (`-10m`, `-1h30m`). Refused naming `at`: a text that is neither, a moment after now, one
 * older than the Prometheus's retention (its samples are gone).
 */
export function graphMoment(text: string, now: Date, retention: string | null): Date {
  const ago = text.startsWith('-') ? prometheusDurationMs(text.slice(1)) : undefined;
  const at =
    ago === undefined ? new Date(/^\d{4}-\d\d-\d\d/.test(text) ? text : NaN) : new Date(now.getTime() - ago);
  if (Number.isNaN(at.getTime())) throw invalid('at', message('graph.badMoment', { value: text }));
  if (at.getTime() > now.getTime())
    throw invalid('at', message('graph.momentAhead', { at: at.toISOString(), now: now.toISOString() }));
  const kept = retention === null ? undefined : prometheusDurationMs(retention);
  if (kept !== undefined && at.getTime() < now.getTime() - kept)
    throw invalid(
      'at',
      message('graph.beyondRetention', {
        at: at.toISOString(),
        retention: retention!,
        oldest: new Date(now.getTime() - kept).toISOString(),
      }),
    );
  return at;
}
