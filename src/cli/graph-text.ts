import type { JobGraphView } from '../contract/jobs.ts';
import { table } from './output.ts';

const percent = (r: number | null) => (r === null ? '-' : `${Math.round(r * 100)}%`);
const rate = (n: number | null) => (n === null ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

/**
 * What `sluice job graph` prints: one row per vertex (operator chain) in Flink's order with its
 * parallelism, backpressure level and ratio (its most back-pressured subtask), busy ratio and records
 * per second, then the edges between them.
 */
export function graphText(v: JobGraphView): string {
  const n = new Map(v.vertices.map((x, i) => [x.id, i + 1]));
  const rows = v.vertices.map((x, i) => ({
    '#': i + 1,
    vertex: x.name,
    parallelism: x.parallelism,
    backpressure: x.backpressure
      ? `${x.backpressure.level.toUpperCase()} ${percent(x.backpressure.ratio)}`
      : '-',
    busy: percent(x.busyRatio),
    'in/s': rate(x.recordsInPerSecond),
    'out/s': rate(x.recordsOutPerSecond),
  }));
  const edges = v.edges.map(
    (e) => `#${n.get(e.from)} -> #${n.get(e.to)}${e.shipStrategy ? ` (${e.shipStrategy})` : ''}`,
  );
  return (
    [
      `job ${v.job}, run ${v.run} on ${v.target}, at ${v.at}`,
      table(rows, ['#', 'vertex', 'parallelism', 'backpressure', 'busy', 'in/s', 'out/s']),
      ...(edges.length ? [`edges: ${edges.join(', ')}`] : []),
      "backpressure: OK up to 10%, LOW up to 50%, HIGH above (Flink's thresholds); - not sampled yet",
    ].join('\n') + '\n'
  );
}
