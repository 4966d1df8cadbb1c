import type { JobGraphView } from '../../../contract/jobs.ts';
import type { CanvasEdge, CanvasNode } from './lineage-layout.ts';

type Vertex = JobGraphView['vertices'][number];
export type VertexLevel = NonNullable<Vertex['backpressure']>['level'] | 'unknown';

/** Each level's colour, as Flink's own Web UI paints them: green, orange, red; grey before a sample. */
export const LEVEL_COLOURS: Record<VertexLevel, string> = {
  ok: '#52c41a',
  low: '#fa8c16',
  high: '#f5222d',
  unknown: '#bfbfbf',
};

/** The graph is asked again this often: Flink's REST metrics are fetched every 10 s by default. */
export const GRAPH_REFRESH_MS = 5_000;

export const vertexLevel = (v: Pick<Vertex, 'backpressure'>): VertexLevel =>
  v.backpressure?.level ?? 'unknown';

export const percent = (r: number) => `${Math.round(r * 100)}%`;
const perSecond = (n: number) =>
  n >= 1000 ? `${(n / 1000).toPrecision(3)}k/s` : `${n >= 100 ? n.toFixed(0) : n.toFixed(1)}/s`;

/**
 * The running job's graph as boxes and arrows: each vertex bordered in its backpressure level's colour,
 * with its parallelism, backpressure and busy ratio, records in and out per second as tags; each edge
 * labelled with how records cross it. `label` gives the words in the console's language.
 */
export function graphCanvas(
  view: JobGraphView,
  label: (
    key: 'parallelism' | 'backpressure' | 'busy' | 'in' | 'out' | 'notSampled',
    value?: string,
  ) => string,
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const nodes = view.vertices.map((v, i): CanvasNode => {
    const level = vertexLevel(v);
    const tags = [
      { text: label('parallelism', String(v.parallelism)) },
      {
        text: v.backpressure
          ? label('backpressure', `${v.backpressure.level.toUpperCase()} ${percent(v.backpressure.ratio)}`)
          : label('notSampled'),
        color: LEVEL_COLOURS[level],
      },
      ...(v.busyRatio === null ? [] : [{ text: label('busy', percent(v.busyRatio)) }]),
      ...(v.recordsInPerSecond === null ? [] : [{ text: label('in', perSecond(v.recordsInPerSecond)) }]),
      ...(v.recordsOutPerSecond === null ? [] : [{ text: label('out', perSecond(v.recordsOutPerSecond)) }]),
    ];
    return {
      id: v.id,
      kind: 'vertex',
      title: v.name,
      accent: LEVEL_COLOURS[level],
      tags,
      tooltip: v.name,
      testId: `graph-vertex-${i}`,
    };
  });
  const edges = view.edges.map((e): CanvasEdge => ({
    id: `${e.from}-${e.to}`,
    from: e.from,
    to: e.to,
    ...(e.shipStrategy ? { label: e.shipStrategy } : {}),
  }));
  return { nodes, edges };
}

/**
 * The vertex whose subtasks are shown: the one chosen, while the graph still has it, else the most
 * back-pressured (the first of equals; the first vertex when none is sampled yet).
 */
export function shownVertex(view: JobGraphView, chosen: string | null): Vertex | null {
  const found = chosen === null ? undefined : view.vertices.find((v) => v.id === chosen);
  if (found) return found;
  let worst: Vertex | null = null;
  for (const v of view.vertices)
    if (worst === null || (v.backpressure?.ratio ?? -1) > (worst.backpressure?.ratio ?? -1)) worst = v;
  return worst;
}

export interface SubtaskRow {
  key: number;
  subtask: number;
  level: VertexLevel;
  /** The level and ratio as a tag says them (`HIGH 93%`), null when Flink gave no ratio. */
  backpressure: string | null;
  busy: string | null;
  idle: string | null;
}

/** A vertex's subtasks as the table under the graph shows them. */
export const subtaskRows = (v: Vertex): SubtaskRow[] =>
  v.subtasks.map((s) => ({
    key: s.subtask,
    subtask: s.subtask,
    level: s.backpressure?.level ?? 'unknown',
    backpressure: s.backpressure
      ? `${s.backpressure.level.toUpperCase()} ${percent(s.backpressure.ratio)}`
      : null,
    busy: s.busyRatio === null ? null : percent(s.busyRatio),
    idle: s.idleRatio === null ? null : percent(s.idleRatio),
  }));
