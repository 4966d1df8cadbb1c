import { describe, expect, it } from 'vitest';
import type { SqlJobContent } from '../jobs/versions.ts';
import {
  effectiveContent,
  effectiveProfile,
  parseProfile,
  profileNamed,
  describeProfile,
} from './profile.ts';

const content: SqlJobContent = {
  kind: 'sql',
  description: '',
  options: { 'execution.checkpointing.interval': '10s', 'taskmanager.memory.process.size': '1024m' },
  parallelism: 1,
  engineVersion: '1.20',
  target: 'apps',
  restartPolicy: { kind: 'none' },
  resubmitPolicy: { kind: 'none' },
  sql: 'INSERT INTO a SELECT * FROM b',
  catalogs: [],
  artifacts: [],
};

describe('resource profiles', () => {
  it('a profile overlays the version: its parallelism replaces, its options win over the version’s', () => {
    const peak = parseProfile({
      name: 'peak',
      parallelism: 4,
      options: { 'taskmanager.memory.process.size': '2g', 'taskmanager.numberOfTaskSlots': '2' },
    });
    expect(effectiveContent(content, peak)).toEqual({
      ...content,
      parallelism: 4,
      options: {
        'execution.checkpointing.interval': '10s',
        'taskmanager.memory.process.size': '2g',
        'taskmanager.numberOfTaskSlots': '2',
      },
    });
    expect(describeProfile(peak)).toBe(
      'peak: parallelism 4, taskmanager.memory.process.size=2g, taskmanager.numberOfTaskSlots=2',
    );
  });

  it('a job without the active profile (or with none active) runs its version unchanged', () => {
    const normal = parseProfile({ name: 'normal', parallelism: 1 });
    expect(profileNamed([normal], 'peak')).toBeNull();
    expect(profileNamed([normal], null)).toBeNull();
    expect(profileNamed([normal], 'normal')).toBe(normal);
    expect(effectiveContent(content, null)).toBe(content);
  });

  it.each([
    [{ name: 'Peak', parallelism: 2 }, 'name', 'profile.badName'],
    [{ name: 'peak', parallelism: 0 }, 'parallelism', 'job.badParallelism'],
    [
      { name: 'peak', parallelism: 2, options: { 'parallelism.default': '2' } },
      'options.parallelism.default',
      'job.parallelismOption',
    ],
    [
      { name: 'peak', parallelism: 2, options: { 'taskmanager.memory.process.size': 'lots' } },
      'options.taskmanager.memory.process.size',
      'cluster.memoryNotASize',
    ],
    [
      { name: 'peak', parallelism: 2, options: { 'taskmanager.numberOfTaskSlots': '1.5' } },
      'options.taskmanager.numberOfTaskSlots',
      'kubernetes.badNumber',
    ],
    [
      { name: 'peak', parallelism: 2, options: { 'kubernetes.taskmanager.cpu': '-1' } },
      'options.kubernetes.taskmanager.cpu',
      'kubernetes.badNumber',
    ],
    [
      { name: 'peak', parallelism: 2, options: { 'execution.checkpointing.interval': 'often' } },
      'options.execution.checkpointing.interval',
      'job.badOption',
    ],
    [
      { name: 'peak', parallelism: 8, options: { 'pipeline.max-parallelism': '4' } },
      'options.pipeline.max-parallelism',
      'profile.maxParallelism',
    ],
  ])('refuses %j naming %s', (input, field, code) => {
    expect(() => parseProfile(input)).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        details: { field },
        text: expect.objectContaining({
          params: expect.objectContaining({ problem: expect.objectContaining({ code }) }),
        }),
      }),
    );
  });

  it("a job runs its space's active profile if it has it, else its target's, else its version's settings", () => {
    const normal = parseProfile({ name: 'normal', parallelism: 1 });
    const peak = parseProfile({ name: 'peak', parallelism: 4 });
    const night = parseProfile({ name: 'night', parallelism: 2 });
    const profiles = [normal, peak, night];
    expect(effectiveProfile(profiles, { space: 'peak', target: 'night' })).toBe(peak);
    expect(effectiveProfile(profiles, { space: null, target: 'night' })).toBe(night);
    // A space profile the job lacks leaves it to its target's, as a switch leaves it running as it is.
    expect(effectiveProfile(profiles, { space: 'sale', target: 'night' })).toBe(night);
    expect(effectiveProfile(profiles, { space: 'sale', target: 'sale' })).toBeNull();
    expect(effectiveProfile(profiles, { space: null, target: null })).toBeNull();
    expect(effectiveProfile([], { space: 'peak', target: 'peak' })).toBeNull();
  });
});
