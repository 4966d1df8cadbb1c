import { analyzeLineage, type LineageWrite, type ResolveValue, type ScriptLineage } from './lineage.ts';

/**
 * Lineage across the jobs of a workspace: jobs and the tables they read and write. Two jobs meet at a
 * table when their declarations name the same external data (the same Kafka topic on the same
 * brokers, the same JDBC table...), or the same fully qualified catalog table.
 */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export type LineageNode =
  | { id: string; kind: 'job'; job: string }
  | {
      id: string;
      kind: 'table';
      /** The shared key, or null for a table only its job sees (datagen, print, blackhole...). */
      resource: string | null;
      connector: string | null;
      identity: Record<string, string>;
      /** What each job calls it, and the variables its identity was written with there. */
      names: { job: string; table: string; variables?: Record<string, string[]> }[];
    };

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'reads' | 'writes';
  job: string;
  table: string;
  /** Lines of the INSERTs (writes). */
  lines: number[];
  /** Sink column <- source columns, for writes. */
  columns: LineageWrite['columns'];
}

/** `resolve` reads the option values of every job (see analyzeLineage): jobs meet at resolved data. */
export function buildLineageGraph(
  jobs: { name: string; sql: string }[],
  resolve?: ResolveValue,
): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  for (const job of jobs) {
    const lineage: ScriptLineage = analyzeLineage(job.sql, resolve);
    const jobId = `job:${job.name}`;
    nodes.set(jobId, { id: jobId, kind: 'job', job: job.name });
    const tableId = new Map<string, string>();
    for (const t of lineage.tables) {
      if (t.kind === 'view' || (!t.reads && !t.writes)) continue;
      const shared =
        t.resource ??
        (t.kind === 'undeclared' && t.name.split('.').length === 3 ? `catalog:${t.name}` : null);
      const id = shared ? `table:${shared}` : `table:${job.name}/${t.name}`;
      tableId.set(t.name, id);
      const node = nodes.get(id);
      const name = { job: job.name, table: t.name, ...(t.variables ? { variables: t.variables } : {}) };
      if (node?.kind === 'table') node.names.push(name);
      else
        nodes.set(id, {
          id,
          kind: 'table',
          resource: shared,
          connector: t.connector,
          identity: t.identity,
          names: [name],
        });
      if (t.reads)
        edges.push({
          from: id,
          to: jobId,
          kind: 'reads',
          job: job.name,
          table: t.name,
          lines: [],
          columns: [],
        });
    }
    const writes = new Map<string, LineageEdge>();
    for (const w of lineage.writes) {
      const id = tableId.get(w.sink);
      if (!id) continue;
      const edge = writes.get(id);
      if (edge) {
        edge.lines.push(w.line);
        edge.columns.push(...w.columns);
      } else {
        const e: LineageEdge = {
          from: jobId,
          to: id,
          kind: 'writes',
          job: job.name,
          table: w.sink,
          lines: [w.line],
          columns: [...w.columns],
        };
        writes.set(id, e);
        edges.push(e);
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}
