import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { applicationResources } from './application-resources.ts';

describe('the resources of a job’s application cluster', () => {
  it('come from the parallelism: at most 4 slots per TaskManager, as many TaskManagers as needed, 1024m each', () => {
    expect(applicationResources(1, {})).toEqual({
      taskManagers: 1,
      slotsPerTaskManager: 1,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1024m',
    });
    expect(applicationResources(3, {})).toMatchObject({ taskManagers: 1, slotsPerTaskManager: 3 });
    expect(applicationResources(6, {})).toMatchObject({ taskManagers: 2, slotsPerTaskManager: 4 });
  });

  it('take Flink’s own options when the job sets them', () => {
    expect(
      applicationResources(4, {
        'taskmanager.numberOfTaskSlots': '2',
        'jobmanager.memory.process.size': '1536m',
        'taskmanager.memory.process.size': '2g',
      }),
    ).toEqual({
      taskManagers: 2,
      slotsPerTaskManager: 2,
      jobManagerMemory: '1536m',
      taskManagerMemory: '2g',
    });
  });

  it('refuse what Flink would refuse or not start with, naming the option', () => {
    const refused = (p: number, o: Record<string, string>) => {
      try {
        applicationResources(p, o);
      } catch (e) {
        return { field: (e as SluiceError).details?.field, message: (e as Error).message };
      }
      return null;
    };
    expect(refused(1, { 'taskmanager.numberOfTaskSlots': 'two' })).toMatchObject({
      field: 'options.taskmanager.numberOfTaskSlots',
    });
    expect(refused(40, { 'taskmanager.numberOfTaskSlots': '1' })?.message).toMatch(
      /parallelism 40 with 1 slots per TaskManager needs 40 TaskManagers, more than the 8 .* at least 5/,
    );
    expect(refused(1, { 'taskmanager.memory.process.size': '512m' })).toMatchObject({
      field: 'options.taskmanager.memory.process.size',
    });
    expect(refused(1, { 'jobmanager.memory.process.size': 'lots' })).toMatchObject({
      field: 'options.jobmanager.memory.process.size',
    });
  });
});
