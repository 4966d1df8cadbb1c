import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { renderMessage } from '../messages.ts';
import {
  checkJobRanges,
  checkQuota,
  jobRequest,
  NO_LIMITS,
  NO_RANGES,
  parseQuotaInput,
  parseSpaceQuotaInput,
  quotaUsage,
  type QuotaScope,
  type RequestPlace,
} from './quota.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const local: RequestPlace = { deployment: 'application-cluster', wireKind: 'application' };
const pods: RequestPlace = { deployment: 'application-cluster', wireKind: 'kubernetes' };
const session: RequestPlace = { deployment: 'session-job', wireKind: 'local' };

const refusal = (f: () => void): SluiceError => {
  try {
    f();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('jobRequest', () => {
  it('a local application cluster: its TaskManagers, slots and process memory, no CPU', () => {
    expect(jobRequest(local, 6, {})).toEqual({
      cpu: null,
      memory: 1024 * MIB + 2 * 1024 * MIB,
      slots: 8,
      taskManagers: 2,
      jobs: 1,
      cluster: {
        jobManagerCpu: null,
        taskManagerCpu: null,
        jobManagerMemory: GIB,
        taskManagerMemory: GIB,
        slotsPerTaskManager: 4,
      },
    });
  });

  it("a Kubernetes application cluster: the pods' CPU options and memory sizes", () => {
    const r = jobRequest(pods, 4, {
      'taskmanager.numberOfTaskSlots': '2',
      'kubernetes.taskmanager.cpu': '1.5',
      'taskmanager.memory.process.size': '2g',
    });
    expect(r).toMatchObject({ cpu: 0.25 + 2 * 1.5, memory: GIB + 2 * 2 * GIB, slots: 4, taskManagers: 2 });
  });

  it('a session job takes its parallelism in slots and nothing per job else', () => {
    expect(jobRequest(session, 3, { 'taskmanager.memory.process.size': '8g' })).toEqual({
      cpu: null,
      memory: null,
      slots: 3,
      taskManagers: null,
      jobs: 1,
      cluster: null,
    });
  });

  it('refuses a CPU option that is not a positive number, naming it', () => {
    const e = refusal(() => jobRequest(pods, 1, { 'kubernetes.jobmanager.cpu': 'lots' }));
    expect(e.details).toEqual({ field: 'options.kubernetes.jobmanager.cpu' });
  });
});

const target = (name: string): QuotaScope => ({ kind: 'target', name });

describe('checkQuota', () => {
  const a = { job: 'a', request: jobRequest(local, 4, {}) };
  it('passes a request that fits beside the others and refuses one that does not, naming all', () => {
    const limits = { ...NO_LIMITS, taskManagers: 2, memory: 4 * GIB };
    expect(() => checkQuota(target('apps'), 'b', limits, jobRequest(local, 1, {}), [a])).not.toThrow();
    const e = refusal(() =>
      checkQuota(
        target('apps'),
        'b',
        limits,
        jobRequest(local, 4, { 'jobmanager.memory.process.size': '2g' }),
        [a],
      ),
    );
    expect(e.code).toBe('conflict');
    expect(e.text?.code).toBe('quota.exceeded');
    expect(e.message).toBe(
      "quota of target apps refuses job b: it requests 3g memory, 2g of the limit 4g is in use (by a (2g)); lower the job's parallelism or its options taskmanager.memory.process.size / jobmanager.memory.process.size, stop one of those jobs, or ask an admin to raise the quota (sluice target quota apps --memory ...)",
    );
    expect(e.details).toEqual({
      quota: {
        scope: 'target:apps',
        resource: 'memory',
        limit: 4 * GIB,
        request: 3 * GIB,
        used: 2 * GIB,
        jobs: [{ job: 'a', amount: 2 * GIB }],
      },
    });
  });

  it('counts jobs, and skips what a session job does not request', () => {
    const limits = { ...NO_LIMITS, jobs: 1, memory: 1 };
    const e = refusal(() => checkQuota(target('s'), 'b', limits, jobRequest(session, 1, {}), [a]));
    expect(e.details).toMatchObject({ quota: { resource: 'jobs', limit: 1, used: 1, request: 1 } });
    expect(() =>
      checkQuota(target('s'), 'b', { ...NO_LIMITS, memory: 1 }, jobRequest(session, 1, {}), []),
    ).not.toThrow();
  });

  it("a space's quota: named in the refusal with who raises it, over requests made on targets of different kinds", () => {
    // A space's jobs: one on a Kubernetes application target, one on a session.
    const usage = [
      { job: 'k', request: jobRequest(pods, 2, {}) },
      { job: 's', request: jobRequest(session, 3, {}) },
    ];
    const space: QuotaScope = { kind: 'space', name: 'team-a' };
    const limits = { ...NO_LIMITS, slots: 6, cpu: 1 };
    // A session job takes slots, no CPU: the CPU limit does not hold it back.
    expect(() => checkQuota(space, 'b', limits, jobRequest(session, 1, {}), usage)).not.toThrow();
    const e = refusal(() => checkQuota(space, 'b', limits, jobRequest(local, 2, {}), usage));
    expect(e.text?.code).toBe('quota.spaceExceeded');
    expect(e.message).toBe(
      "quota of space team-a refuses job b: it requests 2 slots, 5 of the limit 6 is in use on its targets (by k (2), s (3)); lower the job's parallelism, stop one of those jobs, or ask an owner of space team-a or an admin to raise its quota (sluice space quota team-a --slots ...)",
    );
    expect(e.details).toEqual({
      quota: {
        scope: 'space:team-a',
        resource: 'slots',
        limit: 6,
        request: 2,
        used: 5,
        jobs: [
          { job: 'k', amount: 2 },
          { job: 's', amount: 3 },
        ],
      },
    });
    // The Kubernetes job's pods request CPU: a second one beyond the limit is refused by it.
    expect(
      refusal(() => checkQuota(space, 'b', { ...NO_LIMITS, cpu: 0.75 }, jobRequest(pods, 2, {}), usage))
        .details,
    ).toMatchObject({ quota: { resource: 'cpu', used: 0.5, request: 0.5 } });
  });

  it('says no job when none holds any', () => {
    const e = refusal(() =>
      checkQuota(target('s'), 'b', { ...NO_LIMITS, slots: 2 }, jobRequest(session, 3, {}), []),
    );
    expect(renderMessage(e.text!)).toContain('0 of the limit 2 is in use (by -)');
  });
});

describe('quotaUsage', () => {
  it('sums each resource over the jobs holding some of it', () => {
    const usage = [
      { job: 'a', request: jobRequest(pods, 2, {}) },
      { job: 'b', request: jobRequest(pods, 8, {}) },
    ];
    const u = quotaUsage(['cpu', 'slots', 'jobs'], { ...NO_LIMITS, slots: 16 }, usage);
    expect(u).toEqual([
      {
        resource: 'cpu',
        limit: null,
        used: 0.25 + 0.25 + 0.25 + 2 * 0.25,
        jobs: [
          { job: 'a', amount: 0.5 },
          { job: 'b', amount: 0.75 },
        ],
      },
      {
        resource: 'slots',
        limit: 16,
        used: 10,
        jobs: [
          { job: 'a', amount: 2 },
          { job: 'b', amount: 8 },
        ],
      },
      {
        resource: 'jobs',
        limit: null,
        used: 2,
        jobs: [
          { job: 'a', amount: 1 },
          { job: 'b', amount: 1 },
        ],
      },
    ]);
  });
});

describe('checkJobRanges', () => {
  it('refuses each field over its range, naming the field', () => {
    const ranges = {
      ...NO_RANGES,
      maxParallelism: 4,
      maxTaskManagerMemory: 2 * GIB,
      maxCpuPerPod: 1,
      maxTaskManagers: 1,
    };
    const field = (p: number, o: Record<string, string>) =>
      refusal(() => checkJobRanges('k', ranges, p, jobRequest(pods, p, o))).details['field'];
    expect(field(5, {})).toBe('parallelism');
    expect(field(4, { 'taskmanager.numberOfTaskSlots': '2' })).toBe('options.taskmanager.numberOfTaskSlots');
    expect(field(1, { 'taskmanager.memory.process.size': '3g' })).toBe(
      'options.taskmanager.memory.process.size',
    );
    expect(field(1, { 'kubernetes.taskmanager.cpu': '2' })).toBe('options.kubernetes.taskmanager.cpu');
    expect(() => checkJobRanges('k', ranges, 4, jobRequest(pods, 4, {}))).not.toThrow();
    const e = refusal(() =>
      checkJobRanges('k', ranges, 1, jobRequest(pods, 1, { 'kubernetes.jobmanager.cpu': '1.5' })),
    );
    expect(e.message).toBe(
      'options.kubernetes.jobmanager.cpu: target k allows each job at most 1 (maxCpuPerPod), this job asks 1.5: lower it, or ask an admin to raise the range',
    );
  });

  it('a session job is held to its parallelism only', () => {
    expect(() =>
      checkJobRanges('s', { ...NO_RANGES, maxTaskManagerMemory: 1 }, 2, jobRequest(session, 2, {})),
    ).not.toThrow();
  });
});

describe('parseQuotaInput', () => {
  it('reads Flink sizes, cores and counts', () => {
    expect(
      parseQuotaInput('k', pods, {
        cpu: 8,
        memory: '32g',
        slots: 16,
        jobs: '10',
        maxTaskManagerMemory: 4 * GIB,
      }),
    ).toEqual({
      limits: { cpu: 8, memory: 32 * GIB, slots: 16, taskManagers: null, jobs: 10 },
      perJob: { ...NO_RANGES, maxTaskManagerMemory: 4 * GIB },
    });
  });

  it('refuses what the kind does not request per job, a bad amount and an unknown field', () => {
    const f = (place: RequestPlace, input: Record<string, string | number>) =>
      refusal(() => parseQuotaInput('t', place, input));
    expect(f(local, { cpu: 4 }).text?.params['problem']).toMatchObject({ code: 'quota.notRequested' });
    expect(f(session, { memory: '8g' }).details).toEqual({ field: 'memory' });
    expect(f(pods, { memory: '8 parsecs' }).text?.params['problem']).toMatchObject({
      code: 'quota.badAmount',
    });
    expect(f(pods, { slots: 1.5 }).details).toEqual({ field: 'slots' });
    expect(f(pods, { cpu: -1 }).details).toEqual({ field: 'cpu' });
    expect(f(pods, { disks: 1 }).text?.params['problem']).toMatchObject({ code: 'quota.unknownField' });
  });

  it("a space's quota takes every resource and refuses the per-job ranges, which are a target's", () => {
    expect(
      parseSpaceQuotaInput('team-a', { cpu: 4, memory: '16g', slots: 8, taskManagers: 4, jobs: 2 }),
    ).toEqual({
      cpu: 4,
      memory: 16 * GIB,
      slots: 8,
      taskManagers: 4,
      jobs: 2,
    });
    const f = (input: Record<string, string | number>) =>
      refusal(() => parseSpaceQuotaInput('team-a', input));
    expect(f({ maxParallelism: 4 }).details).toEqual({ field: 'maxParallelism' });
    expect(f({ maxParallelism: 4 }).text?.params['problem']).toMatchObject({ code: 'quota.rangeOfTarget' });
    expect(f({ jobs: -1 }).details).toEqual({ field: 'jobs' });
    expect(f({ jobs: 0 }).details).toEqual({ field: 'jobs' });
    expect(f({ disks: 1 }).text?.params['problem']).toMatchObject({ code: 'quota.unknownField' });
  });
});
