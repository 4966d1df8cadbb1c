import { Empty } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScriptLineage } from '../../../contract/sql.ts';
import { scriptLineageGraph } from '../models/lineage-layout.ts';
import { LineageCanvas, type CanvasEdge, type CanvasNode } from './LineageGraph.tsx';

/**
 * The lineage of one script: the tables its INSERTs read (left) and the sinks they write (right),
 * views resolved. An arrow carries the lines of the INSERTs and the views the data goes through.
 */
export function ScriptLineageGraph({
  lineage,
  height = 360,
  onSelectTable,
}: {
  lineage: ScriptLineage;
  height?: number | string;
  /** Called with the table's name as the script writes it. */
  onSelectTable?: (name: string) => void;
}) {
  const { t } = useTranslation();
  const graph = useMemo(() => scriptLineageGraph(lineage), [lineage]);
  const { nodes, edges } = useMemo(() => {
    const nodes = graph.nodes.map((n): CanvasNode => ({
      id: n.id,
      kind: 'table',
      title: n.name,
      subtitle: n.resource ?? (n.kind === 'undeclared' ? t('ws.lineage.catalogTable') : null),
      tags: [
        ...(n.connector ? [{ text: n.connector, color: 'blue' }] : []),
        ...(n.writes ? [{ text: t('ws.lineage.sink'), color: 'orange' }] : []),
        ...(n.reads && !n.writes ? [{ text: t('ws.lineage.source'), color: 'green' }] : []),
      ],
      clickable: !!onSelectTable,
      testId: `script-lineage-${n.name}`,
    }));
    const edges = graph.edges.map((e): CanvasEdge => ({
      id: `${e.from}->${e.to}`,
      from: e.from,
      to: e.to,
      label: [
        t('ws.lineage.lines', { lines: e.lines.join(', '), count: e.lines.length }),
        ...(e.via.length ? [t('ws.lineage.via', { views: e.via.join(', ') })] : []),
      ].join(' · '),
    }));
    return { nodes, edges };
  }, [graph, t, onSelectTable]);

  if (!nodes.length) return <Empty description={t('ws.lineage.emptyScript')} />;
  return (
    <LineageCanvas
      nodes={nodes}
      edges={edges}
      height={height}
      onNodeClick={(id) => {
        const n = graph.nodes.find((x) => x.id === id);
        if (n) onSelectTable?.(n.name);
      }}
    />
  );
}
