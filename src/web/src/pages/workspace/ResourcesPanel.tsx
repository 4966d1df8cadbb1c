import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useTargetResources,
  type KubernetesClusterInfo,
  type TargetResourcesInfo,
} from '../../api/targets.ts';
import { formatCpu, formatMemory } from '../../../../domain/targets/kubernetes-cluster-view.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { QuotaPanel } from './QuotaPanel.tsx';

type FlinkCluster = NonNullable<TargetResourcesInfo['flink']>['clusters'][number];

const bytes = (b: number | null) => (b === null ? '—' : formatMemory(b));

/**
 * A target's resources: its Flink clusters' TaskManagers, slots and memory with the jobs on them, or
 * on Kubernetes the nodes' requested vs allocatable and the Pending pods; the jobs waiting for
 * resources with the reason; and what each figure is read from.
 */
export function ResourcesPanel({ name }: { name: string }) {
  const { t } = useTranslation();
  const q = useTargetResources(name);
  if (q.isPending) return <Loading />;
  if (q.isError) return <InlineError error={q.error} />;
  const v = q.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`resources-${name}`}>
      <QuotaPanel scope={{ kind: 'target', name }} />
      <Typography.Title level={5}>{t('ws.res.title')}</Typography.Title>
      {v.flink && <FlinkResources flink={v.flink} />}
      {v.kubernetes && <KubernetesClusterView name={name} v={v.kubernetes} />}
      <Typography.Title level={5}>{t('ws.res.waiting', { count: v.waiting.length })}</Typography.Title>
      <Table<TargetResourcesInfo['waiting'][number]>
        rowKey={(w) => `${w.job ?? ''}/${w.flinkJobId ?? ''}/${w.message}`}
        size="small"
        pagination={false}
        dataSource={v.waiting}
        locale={{ emptyText: t('ws.res.noWaiting') }}
        data-testid={`resources-waiting-${name}`}
        columns={[
          { title: t('ws.targets.k8sJob'), dataIndex: 'job', render: (j: string | null) => j ?? '—' },
          {
            title: t('ws.res.reason'),
            dataIndex: 'reason',
            render: (r: string) => <Tag color="orange">{r}</Tag>,
          },
          { title: t('ws.res.message'), dataIndex: 'message' },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('ws.res.sources')}: {v.sources.join('; ')}
      </Typography.Text>
    </Space>
  );
}

function FlinkResources({ flink }: { flink: NonNullable<TargetResourcesInfo['flink']> }) {
  const { t } = useTranslation();
  return (
    <>
      <Descriptions
        size="small"
        column={3}
        items={[
          {
            key: 'slots',
            label: t('ws.res.slotsHeld'),
            children: (
              <span data-testid="resources-slots">
                {t('ws.res.slots', {
                  used: flink.slotsTotal - flink.slotsFree,
                  free: flink.slotsFree,
                  total: flink.slotsTotal,
                })}
              </span>
            ),
          },
          { key: 'tms', label: t('ws.res.taskManagers'), children: flink.taskManagers },
          {
            key: 'memory',
            label: t('ws.res.processMemory'),
            children: formatMemory(flink.processMemoryBytes),
          },
        ]}
      />
      {flink.clusters.length === 0 && (
        <Typography.Text type="secondary">{t('ws.res.noClusters')}</Typography.Text>
      )}
      {flink.clusters.map((c) => (
        <FlinkClusterTables key={c.cluster} c={c} />
      ))}
    </>
  );
}

function FlinkClusterTables({ c }: { c: FlinkCluster }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>
        {t('ws.res.cluster')} {c.cluster}{' '}
        <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
          {c.restUrl}
        </Typography.Text>
      </Typography.Text>
      {c.problem ? (
        <Typography.Text type="warning">{c.problem}</Typography.Text>
      ) : (
        <>
          <Table<FlinkCluster['taskManagers'][number]>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={c.taskManagers}
            columns={[
              { title: t('ws.res.taskManager'), dataIndex: 'id' },
              {
                title: t('ws.res.slotsUsed'),
                render: (_, tm) => `${tm.slotsUsed} / ${tm.slotsTotal}`,
              },
              {
                title: t('ws.res.processMemory'),
                render: (_, tm) => bytes(tm.processMemoryBytes),
              },
              { title: t('ws.res.managed'), render: (_, tm) => bytes(tm.managedMemoryBytes) },
              {
                title: t('ws.res.heap'),
                render: (_, tm) => `${bytes(tm.heapUsedBytes)} / ${bytes(tm.heapMaxBytes)}`,
              },
            ]}
          />
          <Table<FlinkCluster['jobs'][number]>
            rowKey="flinkJobId"
            size="small"
            pagination={false}
            dataSource={c.jobs}
            columns={[
              {
                title: t('ws.targets.k8sJob'),
                dataIndex: 'job',
                render: (j: string | null) =>
                  j ?? <Typography.Text type="secondary">{t('ws.res.notSluice')}</Typography.Text>,
              },
              { title: t('ws.res.flinkJob'), render: (_, j) => `${j.name} (${j.flinkJobId})` },
              { title: t('ws.res.state'), dataIndex: 'state' },
              { title: t('ws.res.slotsHeld'), dataIndex: 'slots' },
              {
                title: t('ws.res.waitingTasks'),
                dataIndex: 'waitingTasks',
                render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}

/** A Kubernetes target's cluster as it concerns its jobs: nodes' requests against allocatable, pending pods, jobs' requests and limits. */
function KubernetesClusterView({ name, v }: { name: string; v: KubernetesClusterInfo }) {
  const { t } = useTranslation();
  const used = (r: number, of: number) => (of > 0 ? Math.round((r / of) * 100) : 0);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`kubernetes-cluster-${name}`}>
      <Typography.Title level={5}>{t('ws.targets.k8sNodes')}</Typography.Title>
      {v.nodes ? (
        <Table<NonNullable<KubernetesClusterInfo['nodes']>[number]>
          rowKey="name"
          size="small"
          pagination={false}
          dataSource={v.nodes}
          columns={[
            { title: t('ws.targets.k8sNode'), dataIndex: 'name' },
            { title: t('ws.targets.k8sPods'), dataIndex: 'pods' },
            {
              title: t('ws.targets.k8sCpu'),
              render: (_, n) =>
                `${formatCpu(n.requested.cpuMillis)} / ${formatCpu(n.allocatable.cpuMillis)} (${used(n.requested.cpuMillis, n.allocatable.cpuMillis)}%)`,
            },
            {
              title: t('ws.targets.k8sMemory'),
              render: (_, n) =>
                `${formatMemory(n.requested.memoryBytes)} / ${formatMemory(n.allocatable.memoryBytes)} (${used(n.requested.memoryBytes, n.allocatable.memoryBytes)}%)`,
            },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{v.nodesProblem}</Typography.Text>
      )}
      <Typography.Title level={5}>{t('ws.targets.k8sPending', { count: v.pending.length })}</Typography.Title>
      <Table<KubernetesClusterInfo['pending'][number]>
        rowKey="pod"
        size="small"
        pagination={false}
        dataSource={v.pending}
        locale={{ emptyText: t('ws.targets.k8sNoPending') }}
        columns={[
          { title: t('ws.targets.k8sPod'), dataIndex: 'pod' },
          { title: t('ws.targets.k8sJob'), dataIndex: 'job', render: (j: string | null) => j ?? '—' },
          {
            title: t('ws.targets.k8sReason'),
            dataIndex: 'reason',
            render: (r: string) => <Tag color="orange">{r}</Tag>,
          },
          { title: t('ws.targets.checkDetail'), dataIndex: 'message' },
        ]}
      />
      <Typography.Title level={5}>{t('ws.targets.k8sJobs')}</Typography.Title>
      <Table<KubernetesClusterInfo['jobs'][number]>
        rowKey="flinkJobId"
        size="small"
        pagination={false}
        dataSource={v.jobs}
        columns={[
          { title: t('ws.targets.k8sJob'), dataIndex: 'job' },
          { title: t('ws.targets.k8sRun'), dataIndex: 'flinkJobId' },
          {
            title: t('ws.targets.k8sPods'),
            render: (_, j) => `${j.running}/${j.pods} Running${j.pending ? `, ${j.pending} Pending` : ''}`,
          },
          { title: t('ws.targets.k8sCpu'), render: (_, j) => formatCpu(j.requests.cpuMillis) },
          { title: t('ws.targets.k8sMemory'), render: (_, j) => formatMemory(j.requests.memoryBytes) },
          {
            title: t('ws.targets.k8sLimits'),
            render: (_, j) => `${formatCpu(j.limits.cpuMillis)}, ${formatMemory(j.limits.memoryBytes)}`,
          },
        ]}
      />
    </Space>
  );
}
