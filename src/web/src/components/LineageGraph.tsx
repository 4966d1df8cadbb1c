import { ApartmentOutlined, NodeIndexOutlined, TableOutlined } from '@ant-design/icons';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  useEdgesState,
  useNodesState,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Empty, Tag, theme, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineageGraph as LineageGraphData } from '../../../contract/sql.ts';

type LineageNode = LineageGraphData['nodes'][number];
type LineageEdge = LineageGraphData['edges'][number];
import { layoutLineage, type CanvasEdge, type CanvasNode } from '../models/lineage-layout.ts';

export type { CanvasEdge, CanvasNode };

type BoxData = Omit<CanvasNode, 'id'> & { role: 'source' | 'sink' | 'middle' | 'alone' };
type BoxNode = Node<BoxData, 'box'>;

const NODE_WIDTH = 220;
const COLUMN_WIDTH = 300;
const ROW_HEIGHT = 96;
const NODE_HEIGHT = 64;

function Box({ data }: NodeProps<BoxNode>) {
  const { token } = theme.useToken();
  const isJob = data.kind === 'job';
  const accent = data.accent
    ? data.accent
    : isJob
      ? token.colorPrimary
      : data.role === 'source'
        ? token.colorSuccess
        : data.role === 'sink'
          ? token.colorWarning
          : token.colorBorder;
  const box = (
    <div
      data-testid={data.testId}
      style={{
        width: NODE_WIDTH,
        padding: '6px 10px',
        borderRadius: token.borderRadius,
        border: `1px solid ${accent}`,
        borderLeft: `4px solid ${accent}`,
        background: isJob ? token.colorPrimaryBg : token.colorBgContainer,
        cursor: data.clickable ? 'pointer' : 'default',
        boxShadow: data.highlighted ? `0 0 0 3px ${token.colorPrimaryBorder}` : token.boxShadowTertiary,
      }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} style={{ visibility: 'hidden' }} />
      <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        {isJob ? <NodeIndexOutlined /> : data.kind === 'vertex' ? <ApartmentOutlined /> : <TableOutlined />}
        <Typography.Text strong ellipsis style={{ flex: 1, color: isJob ? token.colorPrimary : undefined }}>
          {data.title}
        </Typography.Text>
      </div>
      {data.subtitle && (
        <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
          {data.subtitle}
        </Typography.Text>
      )}
      {!!data.tags?.length && (
        <div style={{ marginTop: 2 }}>
          {data.tags.map((tag) => (
            <Tag key={tag.text} color={tag.color} style={{ marginInlineEnd: 4, fontSize: 11 }}>
              {tag.text}
            </Tag>
          ))}
        </div>
      )}
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={false}
        style={{ visibility: 'hidden' }}
      />
      {/* An arrow that closes a loop runs below the boxes, from the bottom of one to the bottom of the other. */}
      <Handle
        id="back-out"
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        style={{ visibility: 'hidden', left: '60%' }}
      />
      <Handle
        id="back-in"
        type="target"
        position={Position.Bottom}
        isConnectable={false}
        style={{ visibility: 'hidden', left: '40%' }}
      />
    </div>
  );
  return data.tooltip ? (
    <Tooltip title={data.tooltip} placement="bottom" mouseEnterDelay={0.4}>
      {box}
    </Tooltip>
  ) : (
    box
  );
}

const NODE_TYPES = { box: Box };

/**
 * Boxes and arrows laid out by the lineage layout model: columns from the sources (left) to the sinks
 * (right). An arrow that closes a cycle is dashed. Boxes can be moved; the view pans and zooms.
 */
export function LineageCanvas({
  nodes,
  edges,
  height = 560,
  onNodeClick,
  onEdgeClick,
  onPaneClick,
}: {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  height?: number | string;
  onNodeClick?: (id: string) => void;
  onEdgeClick?: (id: string) => void;
  onPaneClick?: () => void;
}) {
  const { token } = theme.useToken();
  const flow = useMemo(() => {
    const layout = layoutLineage({ nodes, edges }, { columnWidth: COLUMN_WIDTH, rowHeight: ROW_HEIGHT });
    const back = new Set(layout.backEdges.map((e) => `${e.from}\u0000${e.to}`));
    const hasIn = new Set(edges.map((e) => e.to));
    const hasOut = new Set(edges.map((e) => e.from));
    const flowNodes: BoxNode[] = nodes.map(({ id, ...data }) => {
      const p = layout.byId.get(id);
      const role = hasIn.has(id) ? (hasOut.has(id) ? 'middle' : 'sink') : hasOut.has(id) ? 'source' : 'alone';
      return {
        id,
        type: 'box',
        position: { x: p?.x ?? 0, y: p?.y ?? 0 },
        // A size before the browser measures the box: drawn at once, and drawable without a DOM.
        initialWidth: NODE_WIDTH,
        initialHeight: NODE_HEIGHT,
        data: { ...data, role },
        connectable: false,
      };
    });
    const flowEdges: Edge[] = edges.map((e) => {
      const dashed = back.has(`${e.from}\u0000${e.to}`);
      return {
        id: e.id,
        source: e.from,
        target: e.to,
        ...(dashed
          ? {
              sourceHandle: 'back-out',
              targetHandle: 'back-in',
              type: 'smoothstep',
              pathOptions: { offset: 24 },
            }
          : {}),
        ...(e.label ? { label: e.label } : {}),
        markerEnd: { type: MarkerType.ArrowClosed, color: token.colorTextTertiary },
        style: {
          stroke: token.colorTextTertiary,
          strokeWidth: 1.5,
          ...(dashed ? { strokeDasharray: '6 4' } : {}),
        },
        labelStyle: { fontSize: 11, fill: token.colorTextSecondary },
        labelBgStyle: { fill: token.colorBgContainer },
        interactionWidth: 16,
      };
    });
    // A changed graph (tooltips aside) is a new canvas, fitted into view again.
    const key = JSON.stringify([nodes.map(({ tooltip: _, ...n }) => n), edges]);
    return { flowNodes, flowEdges, key };
  }, [nodes, edges, token]);

  return (
    <div
      data-testid="lineage-canvas"
      style={{
        height,
        border: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadiusLG,
        background: token.colorBgLayout,
      }}
    >
      <Flow
        key={flow.key}
        nodes={flow.flowNodes}
        edges={flow.flowEdges}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
      />
    </div>
  );
}

/**
 * The canvas itself, with its boxes as React state (moved boxes stay where they are put): a graph drawn
 * from the first render, before the browser measures anything, and so also without a browser.
 */
function Flow(props: {
  nodes: BoxNode[];
  edges: Edge[];
  onNodeClick?: ((id: string) => void) | undefined;
  onEdgeClick?: ((id: string) => void) | undefined;
  onPaneClick?: (() => void) | undefined;
}) {
  const [nodes, , onNodesChange] = useNodesState(props.nodes);
  const [edges, , onEdgesChange] = useEdgesState(props.edges);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      nodeTypes={NODE_TYPES}
      nodesConnectable={false}
      edgesFocusable
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
      minZoom={0.1}
      onNodeClick={(_, n) => props.onNodeClick?.(n.id)}
      onEdgeClick={(_, e) => props.onEdgeClick?.(e.id)}
      onPaneClick={() => props.onPaneClick?.()}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

export type TableNode = Extract<LineageNode, { kind: 'table' }>;
export type LineageSelection = { kind: 'table'; node: TableNode } | { kind: 'edge'; edge: LineageEdge };

const unique = (xs: string[]) => [...new Set(xs)];
const edgeId = (e: LineageEdge) => `${e.kind}:${e.from}->${e.to}:${e.job}:${e.table}`;

/**
 * The lineage of the workspace: jobs and the tables they read and write, joined where jobs name the
 * same external data. Clicking a job opens it; clicking a table or an arrow selects it.
 */
export function LineageGraph({
  graph,
  onOpenJob,
  onSelect,
  highlightJob,
  height,
}: {
  graph: LineageGraphData;
  /** A job to emphasise, such as the one the graph is narrowed to. */
  highlightJob?: string | undefined;
  onOpenJob: (name: string) => void;
  onSelect?: (selection: LineageSelection | null) => void;
  height?: number | string;
}) {
  const { t } = useTranslation();
  const selectable = !!onSelect;
  const { nodes, edges } = useMemo(() => {
    const canvasNodes = graph.nodes.map((n): CanvasNode => {
      if (n.kind === 'job')
        return {
          id: n.id,
          kind: 'job',
          title: n.job,
          subtitle: t('ws.lineage.openJob'),
          clickable: true,
          highlighted: n.job === highlightJob,
          testId: `lineage-job-${n.job}`,
        };
      const names = unique(n.names.map((x) => x.table));
      return {
        id: n.id,
        kind: 'table',
        title: names.join(' / '),
        subtitle: n.resource ?? t('ws.lineage.private'),
        tags: n.connector ? [{ text: n.connector, color: 'blue' }] : [],
        clickable: selectable,
        testId: `lineage-table-${names[0] ?? n.id}`,
        tooltip: (
          <div>
            {n.names.map((x) => (
              <div key={`${x.job}/${x.table}`}>
                {t('ws.lineage.calledBy', { job: x.job, table: x.table })}
              </div>
            ))}
            {Object.entries(n.identity).map(([k, v]) => (
              <div key={k}>
                {k} = {v}
              </div>
            ))}
          </div>
        ),
      };
    });
    const canvasEdges = graph.edges.map((e): CanvasEdge => ({
      id: edgeId(e),
      from: e.from,
      to: e.to,
      ...(e.kind === 'writes' && e.columns.length
        ? { label: t('ws.lineage.columnCount', { count: unique(e.columns.map((c) => c.column)).length }) }
        : {}),
    }));
    return { nodes: canvasNodes, edges: canvasEdges };
  }, [graph, t, selectable, highlightJob]);

  if (!graph.nodes.length) return <Empty description={t('ws.lineage.emptyGraph')} />;
  return (
    <LineageCanvas
      nodes={nodes}
      edges={edges}
      height={height}
      onNodeClick={(id) => {
        const n = graph.nodes.find((x) => x.id === id);
        if (n?.kind === 'job') onOpenJob(n.job);
        else if (n) onSelect?.({ kind: 'table', node: n });
      }}
      onEdgeClick={(id) => {
        const e = graph.edges.find((x) => edgeId(x) === id);
        if (e) onSelect?.({ kind: 'edge', edge: e });
      }}
      onPaneClick={() => onSelect?.(null)}
    />
  );
}
