import type { JobGraphView } from '../contract/jobs.ts';
import { table } from './output.ts';

const percent = (r: number | null) => (r === null ? '-' : `${Math.round(r * 100)}%`);
const rate = (n: number | null) => (n === null ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

type Vertex = JobGraphView['vertices'][number];

const backpressure = (b: Vertex['backpressure']) =>
  b ? `${b.level.toUpperCase()} ${percent(b.ratio)}` : '-';

/** A vertex's subtasks, one row each, under the vertex's number. */
const subtasksText = (x: Vertex, n: number): string =>
  x.subtasks.length === 0
    ? `#${n} ${x.name}: no subtask sampled yet`
    : `#${n} ${x.name}\n` +
      table(
        x.subtasks.map((s) => ({
          subtask: s.subtask,
          backpressure: backpressure(s.backpressure),
          busy: percent(s.busyRatio),
          idle: percent(s.idleRatio),
        })),
        ['subtask', 'backpressure', 'busy', 'idle'],
      );

/**
 * What `sluice job graph` prints: one row per vertex (operator chain) in Flink's order with its
 * parallelism, backpressure level and ratio (its most back-pressured subtask), busy ratio and records
 * per second, then the edges between them; with `subtasks`, then each vertex's subtasks.
 */
export function graphText(v: JobGraphView, o: { subtasks: boolean } = { subtasks: false }): string {
  const n = new Map(v.vertices.map((x, i) => [x.id, i + 1]));
  const rows = v.vertices.map((x, i) => ({
    '#': i + 1,
    vertex: x.name,
    parallelism: x.parallelism,
    backpressure: backpressure(x.backpressure),
    busy: percent(x.busyRatio),
    'in/s': rate(x.recordsInPerSecond),
    'out/s': rate(x.recordsOutPerSecond),
  }));
  const edges = v.edges.map(
    (e) => `#${n.get(e.from)} -> #${n.get(e.to)}${e.shipStrategy ? ` (${e.shipStrategy})` : ''}`,
  );
  return (
    [
      `job ${v.job}, run ${v.run} on ${v.target}, at ${v.at}${v.source === 'prometheus' ? " (from Prometheus's samples, the run's graph as Sluice kept it)" : ''}`,
      table(rows, ['#', 'vertex', 'parallelism', 'backpressure', 'busy', 'in/s', 'out/s']),
      ...(edges.length ? [`edges: ${edges.join(', ')}`] : []),
      ...(o.subtasks ? v.vertices.map((x, i) => subtasksText(x, i + 1)) : []),
      "backpressure: OK up to 10%, LOW up to 50%, HIGH above (Flink's thresholds); - not sampled yet",
    ].join('\n') + '\n'
  );
}
