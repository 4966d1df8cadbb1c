import { buildLineageGraph, type LineageGraph } from '../domain/sql/lineage-graph.ts';
import { analyzeLineage, type ScriptLineage } from '../domain/sql/lineage.ts';
import { notFound } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import type { MetadataStore } from './ports/store.ts';
import type { VariableService } from './variable-service.ts';

/** Lineage of one script, and of every job of the workspace together. */
export class LineageService {
  constructor(
    private readonly store: MetadataStore,
    private readonly variables: VariableService,
  ) {}

  /** Plain variables are resolved, so `'topic' = '${orders_topic}'` names the real topic. */
  async ofScript(sql: string, space?: string | null): Promise<ScriptLineage> {
    const v = await this.variables.forLineage(space);
    return analyzeLineage(v.script(sql), v.value);
  }

  /** The current version of every job; `job` narrows the graph to what that job is connected to. */
  async graph(job?: string): Promise<LineageGraph> {
    const jobs = await this.store.jobs.list();
    if (job && !jobs.some((j) => j.name === job))
      throw notFound('job', job, message('job.notFound', { job }));
    // One read of the variables for every job, not one per job; tables meet by their resolved data.
    const v = await this.variables.forLineage();
    const graph = buildLineageGraph(
      // A JAR job's tables are inside its program: lineage reads SQL jobs.
      jobs.flatMap((j) => (j.kind === 'sql' ? [{ name: j.name, sql: v.script(j.sql) }] : [])),
      v.value,
    );
    return job ? connectedTo(graph, `job:${job}`) : graph;
  }
}

/** The part of the graph reachable from `start` along edges in either direction. */
function connectedTo(graph: LineageGraph, start: string): LineageGraph {
  const seen = new Set([start]);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of graph.edges)
      if (seen.has(e.from) !== seen.has(e.to)) {
        seen.add(e.from).add(e.to);
        grew = true;
      }
  }
  return {
    nodes: graph.nodes.filter((n) => seen.has(n.id)),
    edges: graph.edges.filter((e) => seen.has(e.from)),
  };
}
