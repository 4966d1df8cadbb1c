import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../../../test/support/stores.ts';
import type { Store } from './store.ts';
import { LOCAL_CLUSTER_DEFAULTS } from '../../domain/clusters/local-cluster-spec.ts';

describe.each(DIALECTS)('metadata store on %s', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('reports its dialect and answers a ping; migrations are idempotent', async () => {
    expect(store.dialect).toBe(dialect);
    await store.ping();
    await store.migrate();
    await store.ping();
  });

  it('engines: the first saved is the default, the default can move, save replaces, remove deletes', async () => {
    const e = {
      flinkVersion: '1.20.3',
      home: '/h/1.20',
      source: 'provisioned' as const,
      installedAt: '2026-01-01T00:00:00Z',
    };
    const first = await store.engines.save({ version: '1.20', ...e });
    expect(first.isDefault).toBe(true);
    const second = await store.engines.save({
      ...e,
      version: '1.19',
      flinkVersion: '1.19.1',
      source: 'registered',
    });
    expect(second.isDefault).toBe(false);
    await store.engines.setDefault('1.19');
    expect((await store.engines.getDefault())?.version).toBe('1.19');
    await store.engines.save({ version: '1.20', ...e, home: '/h/other' });
    expect((await store.engines.get('1.20'))?.home).toBe('/h/other');
    expect((await store.engines.list()).map((x) => [x.version, x.isDefault])).toEqual([
      ['1.19', true],
      ['1.20', false],
    ]);
    await store.engines.remove('1.19');
    expect(await store.engines.get('1.19')).toBeUndefined();
  });

  it('clusters: save, update, list, events in order and limited to the newest', async () => {
    const spec = { ...LOCAL_CLUSTER_DEFAULTS, name: 'local-1.20', engineVersion: '1.20' };
    await store.clusters.save(spec);
    await store.clusters.save({ ...spec, taskManagers: 2 });
    expect((await store.clusters.get('local-1.20'))?.spec.taskManagers).toBe(2);
    expect((await store.clusters.list()).map((c) => c.name)).toEqual(['local-1.20']);
    for (const k of ['started', 'exited', 'restarted'])
      await store.clusters.recordEvent('local-1.20', 'taskmanager-1', k, `d-${k}`);
    expect((await store.clusters.events('local-1.20')).map((e) => e.kind)).toEqual([
      'started',
      'exited',
      'restarted',
    ]);
    expect((await store.clusters.events('local-1.20', 2)).map((e) => e.kind)).toEqual([
      'exited',
      'restarted',
    ]);
    await store.clusters.remove('local-1.20');
    expect(await store.clusters.get('local-1.20')).toBeUndefined();
  });

  it('jobs: create, read by name, list, record the Flink job id, unique names, remove', async () => {
    const j = {
      name: 'orders',
      description: 'd',
      kind: 'sql' as const,
      sql: 'INSERT INTO a SELECT 1',
      options: { 'pipeline.name': 'orders' },
      parallelism: 2,
      engineVersion: '1.20',
      clusterName: 'local-1.20',
    };
    const created = await store.jobs.create(j);
    expect(created).toMatchObject({ ...j, flinkJobId: null });
    await expect(store.jobs.create(j)).rejects.toThrow();
    await store.jobs.setFlinkJobId(created.id, 'a'.repeat(32));
    expect((await store.jobs.getByName('orders'))?.flinkJobId).toBe('a'.repeat(32));
    expect((await store.jobs.list()).map((x) => x.name)).toEqual(['orders']);
    await store.jobs.remove(created.id);
    expect(await store.jobs.getByName('orders')).toBeUndefined();
  });
});
