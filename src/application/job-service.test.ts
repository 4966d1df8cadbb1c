import { describe, expect, it } from 'vitest';
import { JOB_SQL, lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import { LOCAL_CLUSTER_DEFAULTS } from '../domain/clusters/local-cluster-spec.ts';

/** A unit with engine 1.20 (the default engine), the fake session `fake`, engine 1.19 and the space team-a. */
async function spacesUnit(): Promise<LifecycleUnit> {
  const u = await lifecycleUnit();
  await u.store.engines.save({
    version: '1.19',
    flinkVersion: '1.19.1',
    home: '/engines/1.19',
    source: 'registered',
    installedAt: '2026-01-01T00:00:00Z',
  });
  await u.store.spaces.addSpace({ name: 'team-a', createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin' });
  return u;
}

/** A job made as `POST /api/v1/jobs` without `target` and without `engineVersion` makes it. */
const createWithoutTarget = (u: LifecycleUnit, name: string, space: string) =>
  u.jobs.create({ name, sql: JOB_SQL }, 'dev', space);

const targetSpace = (store: LifecycleUnit['store'], name: string) => store.spaces.spaceOf('target', name);

describe("a job's target when it names none", () => {
  it("is the default engine's session cluster for a job of the default space, defined there", async () => {
    const u = await spacesUnit();
    expect((await createWithoutTarget(u, 'orders', 'default')).target).toBe('local-1.20');
    expect(await targetSpace(u.store, 'local-1.20')).toBe('default');
  });

  it("is the default engine's local application target for a team's job: not the default space's cluster", async () => {
    const u = await spacesUnit();
    // Whether the default cluster exists yet or not.
    expect((await createWithoutTarget(u, 'a-first', 'team-a')).target).toBe('local-application-1.20');
    expect(await targetSpace(u.store, 'local-1.20')).toBeUndefined();
    await createWithoutTarget(u, 'orders', 'default');
    expect((await createWithoutTarget(u, 'a-second', 'team-a')).target).toBe('local-application-1.20');
    expect(await u.store.spaces.spaceOf('job', 'a-second')).toBe('team-a');
  });

  it("is the session cluster for the space that holds it, when that cluster was defined in a team's space", async () => {
    const u = await spacesUnit();
    await u.store.targets.save(
      { ...LOCAL_CLUSTER_DEFAULTS, name: 'local-1.20', engineVersion: '1.20' },
      'local',
      'team-a',
    );
    expect((await createWithoutTarget(u, 'a-job', 'team-a')).target).toBe('local-1.20');
    // The default space's job then gets a cluster of its own, not team-a's.
    expect((await createWithoutTarget(u, 'd-job', 'default')).target).toBe('local-application-1.20');
  });

  it('is picked again for the space at an engine change, and kept at an edit that changes no engine', async () => {
    const u = await spacesUnit();
    await createWithoutTarget(u, 'a-job', 'team-a');
    await createWithoutTarget(u, 'd-job', 'default');
    // Engine 1.19's session cluster, defined beside local-1.20 on ports of its own.
    await u.targets.define({
      name: 'local-1.19',
      engineVersion: '1.19',
      restPort: 18081,
      rpcPort: 16123,
      gatewayPort: 18083,
    });
    await u.jobs.update('a-job', 1, { description: 'edited' }, 'edit', 'dev');
    expect((await u.job('a-job')).target).toBe('local-application-1.20');

    await u.jobs.update('a-job', 2, { engineVersion: '1.19' }, 'to 1.19', 'dev');
    await u.jobs.update('d-job', 1, { engineVersion: '1.19' }, 'to 1.19', 'dev');
    expect((await u.job('a-job')).target).toBe('local-application-1.19');
    expect((await u.job('d-job')).target).toBe('local-1.19');
    expect(await targetSpace(u.store, 'local-1.19')).toBe('default');

    // A team's job named on the default space's cluster (as a platform admin may) leaves it at its next engine change.
    await u.jobs.create({ name: 'a-named', sql: JOB_SQL, target: 'local-1.20' }, 'admin', 'team-a');
    await u.jobs.update('a-named', 1, { engineVersion: '1.19' }, 'to 1.19', 'admin');
    expect((await u.job('a-named')).target).toBe('local-application-1.19');
  });

  it('keeps a target the job names, in any space', async () => {
    const u = await spacesUnit();
    expect(
      (await u.jobs.create({ name: 'a-job', sql: JOB_SQL, target: 'fake' }, 'dev', 'team-a')).target,
    ).toBe('fake');
  });
});

describe("an engine's default session cluster", () => {
  it("takes ports beside the other engines' default clusters instead of being refused for theirs", async () => {
    const u = await spacesUnit();
    await createWithoutTarget(u, 'on-1-20', 'default');
    const job = await u.jobs.create(
      { name: 'on-1-19', sql: JOB_SQL, engineVersion: '1.19' },
      'dev',
      'default',
    );
    expect(job.target).toBe('local-1.19');
    const ports = async (name: string) => {
      const rec = await u.store.targets.get(name);
      return rec?.kind === 'local' ? [rec.spec.restPort, rec.spec.rpcPort, rec.spec.gatewayPort] : null;
    };
    expect(await ports('local-1.20')).toEqual([8081, 6123, 8083]);
    expect(await ports('local-1.19')).toEqual([8082, 6124, 8084]);
  });
});

describe('a rollback or copy by a member who is no platform admin', () => {
  it("brings back no version naming another space's target; a platform admin's may", async () => {
    const u = await spacesUnit();
    await createWithoutTarget(u, 'd-job', 'default');
    // A platform admin put team-a's job on the default space's session cluster, then a member moved it.
    await u.jobs.create({ name: 'a-job', sql: JOB_SQL, target: 'local-1.20' }, 'admin', 'team-a');
    await u.jobs.update('a-job', 1, { target: 'local-application-1.20' }, 'own cluster', 'dev');
    const refusal = await u.jobs.rollback('a-job', 1, 'dev', { sameSpaceOnly: true }).catch((e: Error) => e);
    expect(refusal).toMatchObject({
      code: 'forbidden',
      text: { code: 'space.foreignReference' },
      details: { target: 'local-1.20', space: 'team-a' },
    });
    expect((await u.job('a-job')).currentVersion).toBe(2);
    // Version 2 (its own application cluster) comes back; the admin may bring back version 1, which
    // a member then cannot copy.
    expect((await u.jobs.rollback('a-job', 2, 'dev', { sameSpaceOnly: true })).number).toBe(3);
    expect((await u.jobs.rollback('a-job', 1, 'admin')).content.target).toBe('local-1.20');
    const copied = await u.jobs
      .copy('a-job', 'a-admin-copy', 'dev', { sameSpaceOnly: true })
      .catch((e: Error) => e);
    expect(copied).toMatchObject({ text: { code: 'space.foreignReference' } });
    expect(await u.store.jobs.getByName('a-admin-copy')).toBeFalsy();
  });
});
