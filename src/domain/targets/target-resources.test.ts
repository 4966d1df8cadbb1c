import { describe, expect, it } from 'vitest';
import type { KubernetesClusterView } from './kubernetes-cluster-view.ts';
import {
  flinkClusterResources,
  flinkTotals,
  flinkWaiting,
  kubernetesWaiting,
  unreadCluster,
  type FlinkClusterFacts,
  type TaskManagerFacts,
} from './target-resources.ts';

const a = 'a'.repeat(32);
const b = 'b'.repeat(32);
const tm = (over: Partial<TaskManagerFacts>): TaskManagerFacts => ({
  id: 'tm-1',
  slotsTotal: 2,
  slotsFree: 0,
  slotJobs: [],
  processMemoryBytes: 1280 * 2 ** 20,
  managedMemoryBytes: 400 * 2 ** 20,
  heapUsedBytes: 100,
  heapMaxBytes: 500,
  ...over,
});
const jobOf = (id: string) => (id === a ? 'orders' : id === b ? 'big' : null);

describe('target resources', () => {
  it("counts each job's slots from the TaskManagers' allocated slots and names it by its Sluice job", () => {
    const facts: FlinkClusterFacts = {
      taskManagers: [
        tm({ id: 'tm-2', slotsTotal: 2, slotsFree: 1, slotJobs: [a] }),
        tm({ id: 'tm-1', slotsTotal: 2, slotsFree: 0, slotJobs: [a, 'c'.repeat(32)] }),
      ],
      jobs: [
        {
          flinkJobId: a,
          name: 'insert-into-orders',
          state: 'RUNNING',
          tasks: { running: 2 },
          noResource: null,
        },
        {
          flinkJobId: 'c'.repeat(32),
          name: 'adhoc',
          state: 'RUNNING',
          tasks: { running: 1 },
          noResource: null,
        },
        { flinkJobId: 'd'.repeat(32), name: 'old', state: 'CANCELED', tasks: {}, noResource: null },
      ],
    };
    const c = flinkClusterResources('local-1.20', 'http://127.0.0.1:8081', facts, jobOf);
    expect(c.taskManagers.map((t) => [t.id, t.slotsUsed, t.slotsFree])).toEqual([
      ['tm-1', 2, 0],
      ['tm-2', 1, 1],
    ]);
    expect(c).toMatchObject({ slotsTotal: 4, slotsFree: 1, processMemoryBytes: 2 * 1280 * 2 ** 20 });
    // An ended job holding nothing is left out; one Sluice did not submit has no job name.
    expect(c.jobs.map((j) => [j.name, j.job, j.slots, j.waitingTasks])).toEqual([
      ['adhoc', null, 1, 0],
      ['insert-into-orders', 'orders', 2, 0],
    ]);
  });

  it("names a job waiting for slots with Flink's NoResourceAvailableException, or with no free slot", () => {
    const facts: FlinkClusterFacts = {
      taskManagers: [tm({ slotsTotal: 2, slotsFree: 0, slotJobs: [a, a] })],
      jobs: [
        { flinkJobId: a, name: 'orders', state: 'RUNNING', tasks: { running: 2 }, noResource: null },
        {
          flinkJobId: b,
          name: 'big',
          state: 'RUNNING',
          tasks: { scheduled: 3, created: 1 },
          noResource: null,
        },
      ],
    };
    const c = flinkClusterResources('s', 'u', facts, jobOf);
    expect(flinkWaiting(c, facts)).toEqual([
      {
        job: 'big',
        flinkJobId: b,
        reason: 'NoFreeSlot',
        message: '4 task(s) without a slot; cluster s has 0 of 2 slots free',
        source: 'flink',
      },
    ]);
    const said = {
      ...facts,
      jobs: [
        facts.jobs[0]!,
        {
          ...facts.jobs[1]!,
          noResource:
            'NoResourceAvailableException: Slot request bulk is not fulfillable! Could not allocate the required slot within slot request timeout',
        },
      ],
    };
    expect(flinkWaiting(c, said)[0]).toMatchObject({
      reason: 'NoResourceAvailable',
      message: expect.stringMatching(/cluster s has 0 of 2 slots free; Flink: NoResourceAvailableException/),
    });
    // Tasks still deploying while slots are free are not short of slots.
    const free = flinkClusterResources('s', 'u', { ...facts, taskManagers: [tm({ slotsFree: 1 })] }, jobOf);
    expect(flinkWaiting(free, facts)).toEqual([]);
  });

  it('sums the clusters of an application target and keeps one that could not be read, with why', () => {
    const one = flinkClusterResources(
      'orders',
      'http://127.0.0.1:9001',
      { taskManagers: [tm({ slotsFree: 1, slotJobs: [a] })], jobs: [] },
      jobOf,
    );
    const down = unreadCluster('big', 'http://127.0.0.1:9002', 'connection refused');
    expect(flinkTotals([one, down])).toMatchObject({
      taskManagers: 1,
      slotsTotal: 2,
      slotsFree: 1,
      processMemoryBytes: 1280 * 2 ** 20,
    });
    expect(down).toMatchObject({ problem: 'connection refused', taskManagers: [], jobs: [] });
  });

  it("names Sluice's jobs whose pods are Pending with the scheduler's reason; other pods are not jobs", () => {
    const view = {
      pending: [
        {
          pod: 'flink-big-tm',
          job: 'big',
          since: null,
          reason: 'Unschedulable',
          message: '0/1 nodes: Insufficient cpu.',
        },
        { pod: 'someone-else', job: null, since: null, reason: 'Unschedulable', message: 'x' },
      ],
      jobs: [
        {
          job: 'big',
          flinkJobId: b,
          pods: 2,
          running: 1,
          pending: 1,
          requests: { cpuMillis: 1, memoryBytes: 1 },
          limits: { cpuMillis: 0, memoryBytes: 0 },
        },
      ],
    } as Pick<KubernetesClusterView, 'pending' | 'jobs'> as KubernetesClusterView;
    expect(kubernetesWaiting(view)).toEqual([
      {
        job: 'big',
        flinkJobId: b,
        reason: 'Unschedulable',
        message: 'pod flink-big-tm: 0/1 nodes: Insufficient cpu.',
        source: 'kubernetes',
      },
    ]);
  });
});
