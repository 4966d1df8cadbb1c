import { describe, expect, it } from 'vitest';
import { filterJobs } from './job-filter.ts';

const jobs = [
  { name: 'orders-clean', state: 'RUNNING' as const, target: 'local-1.20', engineVersion: '1.20' },
  { name: 'Orders-Totals', state: 'FAILED' as const, target: 'prod', engineVersion: '1.20' },
  { name: 'clicks', state: 'RUNNING' as const, target: 'prod', engineVersion: '1.19' },
];

describe('filterJobs', () => {
  it('matches names without case and combines every filter that is set', () => {
    const none = { text: '', states: [], targets: [], engines: [] };
    expect(filterJobs(jobs, none)).toHaveLength(3);
    expect(filterJobs(jobs, { ...none, text: 'ORDERS' }).map((j) => j.name)).toEqual([
      'orders-clean',
      'Orders-Totals',
    ]);
    expect(filterJobs(jobs, { ...none, states: ['RUNNING'], targets: ['prod'] }).map((j) => j.name)).toEqual([
      'clicks',
    ]);
    expect(filterJobs(jobs, { ...none, engines: ['1.19', '1.20'], text: 'tot' }).map((j) => j.name)).toEqual([
      'Orders-Totals',
    ]);
  });
});
