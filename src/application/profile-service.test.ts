import { describe, expect, it } from 'vitest';
import { spaceScope, targetScope } from '../domain/profiles/profile.ts';
import { lifecycleUnit, type LifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import { MapQuotas } from '../../test/support/map-quotas.ts';
import { ProfileService } from './profile-service.ts';
import { QuotaService } from './quota-service.ts';

/** A lifecycle unit with profiles (and quotas seeing them) wired as the platform wires them. */
async function profileUnit(concurrency = 1) {
  const u = await lifecycleUnit();
  const profiles = new ProfileService(u.store, u.store.profiles, u.jobs, u.runner, u.targets, concurrency);
  const quotas = new QuotaService(u.store, new MapQuotas(), (t) => u.targets.targetKindOf(t));
  u.runner.admission = (job, kind, proceed) => quotas.admit(job, kind, proceed);
  u.runner.profiles = { active: (j, t) => profiles.active(j, t), named: (j, n) => profiles.named(j, n) };
  quotas.profileOf = (j, t) => profiles.active(j, t);
  u.jobs.checkRanges = (c) => quotas.checkRanges(c);
  profiles.checkRanges = (c) => quotas.checkRanges(c);
  return { u, profiles, quotas };
}

/** The parallelism the fake cluster runs the job's live Flink job with. */
const liveParallelism = async (u: LifecycleUnit, name: string) =>
  u.flink.job((await u.job(name)).flinkJobId!).options['parallelism.default'];

const submissionsOf = async (u: LifecycleUnit, name: string) =>
  u.store.lifecycle.submissions((await u.job(name)).id);

describe('resource profiles and the switch of a target’s active profile', () => {
  it('switching upgrades each running job that has the profile, one at a time, skips the others with the reason; later starts take it too', async () => {
    const { u, profiles } = await profileUnit();
    for (const n of ['alpha', 'beta', 'gamma', 'delta']) await u.createJob(n);
    for (const n of ['alpha', 'beta', 'gamma']) expect((await u.run(n, 'start')).status).toBe('succeeded');
    await profiles.set('alpha', { name: 'normal', parallelism: 1 });
    await profiles.set('alpha', {
      name: 'peak',
      parallelism: 3,
      options: { 'table.exec.mini-batch.enabled': 'true' },
    });
    await profiles.set('gamma', { name: 'peak', parallelism: 2 });
    await profiles.set('delta', { name: 'peak', parallelism: 4 });
    expect(await profiles.list('alpha')).toEqual({
      job: 'alpha',
      target: 'fake',
      activeProfile: null,
      space: 'default',
      spaceActiveProfile: null,
      effectiveProfile: null,
      profiles: [
        { name: 'normal', parallelism: 1, options: {} },
        { name: 'peak', parallelism: 3, options: { 'table.exec.mini-batch.enabled': 'true' } },
      ],
    });
    expect(await liveParallelism(u, 'alpha')).toBe('1');

    const started = await profiles.switchTo(targetScope('fake'), 'peak', 'alice');
    expect(started.activeProfile).toBe('peak');
    expect(started.lastSwitch!.jobs.map((s) => [s.job, s.status])).toEqual([
      ['alpha', 'waiting'],
      ['beta', 'skipped'],
      ['gamma', 'waiting'],
    ]);
    await expect(profiles.switchTo(targetScope('fake'), 'normal', 'bob')).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'profile.switchUnderWay' },
    });
    await profiles.settled();
    const state = await profiles.state(targetScope('fake'));
    expect(state).toMatchObject({ activeProfile: 'peak', switching: false });
    expect(state.lastSwitch).toMatchObject({ profile: 'peak', from: null, author: 'alice', concurrency: 1 });
    expect(state.lastSwitch!.finishedAt).not.toBeNull();
    expect(state.lastSwitch!.jobs).toEqual([
      { job: 'alpha', status: 'succeeded', submission: 2, reason: null },
      {
        job: 'beta',
        status: 'skipped',
        submission: null,
        reason: "has no resource profiles: it runs on with its version's settings",
      },
      { job: 'gamma', status: 'succeeded', submission: 2, reason: null },
    ]);
    expect(await liveParallelism(u, 'alpha')).toBe('3');
    expect(u.flink.job((await u.job('alpha')).flinkJobId!).options['table.exec.mini-batch.enabled']).toBe(
      'true',
    );
    expect(await liveParallelism(u, 'gamma')).toBe('2');
    expect(await liveParallelism(u, 'beta')).toBe('1');

    // Each an upgrade with savepoint in the job's submissions, naming the switch; one after the other.
    const [alphaUp, gammaUp] = [(await submissionsOf(u, 'alpha'))[1]!, (await submissionsOf(u, 'gamma'))[1]!];
    for (const s of [alphaUp, gammaUp]) {
      expect(s).toMatchObject({
        kind: 'upgrade',
        status: 'succeeded',
        params: { profile: 'peak', profileSwitch: 'fake' },
        author: 'alice (profile switch of fake to peak)',
      });
      expect(s.steps.flatMap((st) => st.log).join('\n')).toMatch(/resource profile peak: parallelism/);
    }
    expect(Date.parse(alphaUp.finishedAt!)).toBeLessThanOrEqual(Date.parse(gammaUp.createdAt));
    expect((await u.store.lifecycle.savepoints((await u.job('alpha')).id)).map((r) => r.origin)).toContain(
      'upgrade',
    );

    // A job started later starts with the target's active profile.
    const delta = await u.run('delta', 'start');
    expect(delta.params).toMatchObject({ profile: 'peak' });
    expect(await liveParallelism(u, 'delta')).toBe('4');

    // Switching to the profile they run already upgrades nothing.
    const again = await profiles.switchTo(targetScope('fake'), 'peak', 'alice');
    await profiles.settled();
    expect(again.lastSwitch!.jobs.find((s) => s.job === 'alpha')).toMatchObject({
      status: 'skipped',
      reason: 'already runs with profile peak',
    });

    // Back to normal: alpha has it; the others lack it and keep what they run.
    await profiles.switchTo(targetScope('fake'), 'normal', 'alice');
    await profiles.settled();
    expect(
      (await profiles.state(targetScope('fake'))).lastSwitch!.jobs.map((s) => [s.job, s.status]),
    ).toEqual([
      ['alpha', 'succeeded'],
      ['beta', 'skipped'],
      ['delta', 'skipped'],
      ['gamma', 'skipped'],
    ]);
    expect(await liveParallelism(u, 'alpha')).toBe('1');
    expect(await liveParallelism(u, 'gamma')).toBe('2');
  });

  it("a failing job's upgrade is reported and the switch goes on with the next", async () => {
    const { u, profiles } = await profileUnit();
    for (const n of ['one', 'two']) {
      await u.createJob(n);
      expect((await u.run(n, 'start')).status).toBe('succeeded');
      await profiles.set(n, { name: 'peak', parallelism: 2 });
    }
    u.flink.failNextSavepoint('java.io.IOException: disk full');
    await profiles.switchTo(targetScope('fake'), 'peak', 'alice');
    await profiles.settled();
    const [one, two] = (await profiles.state(targetScope('fake'))).lastSwitch!.jobs;
    expect(one).toMatchObject({ job: 'one', status: 'failed', submission: 2 });
    expect(one!.reason).toMatch(/^submission #2 failed: .*disk full/);
    expect(two).toMatchObject({ job: 'two', status: 'succeeded', submission: 2 });
    expect(await liveParallelism(u, 'two')).toBe('2');
    // The failed upgrade's stop kept the job running as it was.
    expect(await u.job('one')).toMatchObject({ state: 'RUNNING' });
    expect(await liveParallelism(u, 'one')).toBe('1');
  });

  it('with a concurrency of 2 two upgrades run at once', async () => {
    const { u, profiles } = await profileUnit(2);
    for (const n of ['one', 'two', 'three']) {
      await u.createJob(n);
      expect((await u.run(n, 'start')).status).toBe('succeeded');
      await profiles.set(n, { name: 'peak', parallelism: 2 });
    }
    const most = mostUpgradesAtOnce(u);
    await profiles.switchTo(targetScope('fake'), 'peak', 'alice');
    await profiles.settled();
    expect((await profiles.state(targetScope('fake'))).lastSwitch!.jobs.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(most()).toBe(2);
  });

  it('quotas see the effective settings; bad profiles and unknown names are refused with nothing changed', async () => {
    const { u, profiles, quotas } = await profileUnit();
    await u.createJob('orders');
    await quotas.set('fake', { slots: 2, maxParallelism: 4 }, 'admin');
    await expect(profiles.set('orders', { name: 'peak', parallelism: 8 })).rejects.toMatchObject({
      details: { field: 'parallelism' },
    });
    await expect(profiles.set('orders', { name: 'Peak', parallelism: 2 })).rejects.toMatchObject({
      details: { field: 'name' },
    });
    await expect(profiles.set('nobody', { name: 'peak', parallelism: 2 })).rejects.toMatchObject({
      code: 'not_found',
    });
    await u.createJob('keyed', { options: { 'pipeline.max-parallelism': '2' } });
    await expect(profiles.set('keyed', { name: 'peak', parallelism: 3 })).rejects.toMatchObject({
      details: { field: 'parallelism' },
      text: { params: { problem: { code: 'option.maxParallelismBelow' } } },
    });
    expect((await profiles.list('orders')).profiles).toEqual([]);
    await profiles.set('orders', { name: 'peak', parallelism: 3 });
    await profiles.switchTo(targetScope('fake'), 'peak', 'alice');
    await profiles.settled();
    await expect(u.runner.launch(await u.job('orders'), 'start', {}, 'alice')).rejects.toMatchObject({
      text: { code: 'quota.exceeded', params: { resource: 'slots', request: '3', limit: '2' } },
    });
    await profiles.remove('orders', 'peak');
    await expect(profiles.remove('orders', 'peak')).rejects.toMatchObject({ code: 'not_found' });
    expect((await u.run('orders', 'start')).params.profile).toBeUndefined();
    await expect(profiles.switchTo(targetScope('nowhere'), 'peak', 'alice')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(profiles.switchTo(targetScope('fake'), 'PEAK', 'alice')).rejects.toMatchObject({
      details: { field: 'profile' },
    });
  });
});

/** Jobs on two targets (`fake`, `fake2`) in space team-a, and one in space team-b on `fake`. */
async function spaceUnit(concurrency = 1) {
  const { u, profiles, quotas } = await profileUnit(concurrency);
  await u.store.targets.save(
    { name: 'fake2', engineVersion: '1.20', restUrl: 'fake://fake2', gatewayUrl: 'fake://fake2' },
    'remote',
  );
  for (const space of ['team-a', 'team-b'])
    await u.store.spaces.addSpace({ name: space, createdAt: 'now', createdBy: 'admin' });
  const jobs: [string, string, string][] = [
    ['a-one', 'fake', 'team-a'],
    ['a-two', 'fake2', 'team-a'],
    ['a-three', 'fake2', 'team-a'],
    ['a-bare', 'fake', 'team-a'],
    ['b-one', 'fake', 'team-b'],
  ];
  for (const [name, target, space] of jobs) {
    await u.createJob(name, { target });
    await u.store.spaces.move('job', name, space);
    expect((await u.run(name, 'start')).status).toBe('succeeded');
  }
  for (const name of ['a-one', 'a-two', 'a-three', 'b-one'])
    await profiles.set(name, { name: 'peak', parallelism: 3 });
  await profiles.set('a-one', { name: 'normal', parallelism: 1 });
  return { u, profiles, quotas };
}

const liveOn = async (u: LifecycleUnit, name: string) => {
  const job = await u.job(name);
  return u.runtime.cluster(job.target).job(job.flinkJobId!).options['parallelism.default'];
};

describe('the switch of a space’s active profile', () => {
  it('moves every running job of the space that has the profile, on both its targets, one at a time; other spaces’ jobs stay', async () => {
    const { u, profiles } = await spaceUnit();
    const most = mostUpgradesAtOnce(u);
    const started = await profiles.switchTo(spaceScope('team-a'), 'peak', 'alice');
    expect(started.lastSwitch!.jobs.map((s) => [s.job, s.status])).toEqual([
      ['a-bare', 'skipped'],
      ['a-one', 'waiting'],
      ['a-three', 'waiting'],
      ['a-two', 'waiting'],
    ]);
    await expect(profiles.switchTo(spaceScope('team-a'), 'normal', 'bob')).rejects.toMatchObject({
      code: 'conflict',
      text: { code: 'profile.spaceSwitchUnderWay' },
    });
    await profiles.settled();
    expect(most()).toBe(1);
    const state = await profiles.state(spaceScope('team-a'));
    expect(state).toMatchObject({ activeProfile: 'peak', switching: false });
    expect(state.lastSwitch!.jobs.filter((s) => s.status === 'succeeded').map((s) => s.job)).toEqual([
      'a-one',
      'a-three',
      'a-two',
    ]);
    for (const name of ['a-one', 'a-two', 'a-three']) {
      expect(await liveOn(u, name)).toBe('3');
      expect((await submissionsOf(u, name)).at(-1)).toMatchObject({
        kind: 'upgrade',
        status: 'succeeded',
        params: { profile: 'peak', profileSwitch: 'space team-a' },
        author: 'alice (profile switch of space team-a to peak)',
      });
    }
    expect(await liveOn(u, 'a-bare')).toBe('1');
    // team-b's job has peak too, and is not of the space.
    expect(await liveOn(u, 'b-one')).toBe('1');
    expect((await submissionsOf(u, 'b-one')).length).toBe(1);
    // The targets' own active profiles are untouched.
    expect((await profiles.state(targetScope('fake'))).activeProfile).toBeNull();
    expect(await profiles.list('a-two')).toMatchObject({
      space: 'team-a',
      spaceActiveProfile: 'peak',
      activeProfile: null,
      effectiveProfile: 'peak',
    });
  });

  it("two at a time with a concurrency of 2; the space's profile wins over its target's, at a start and at the target's switch", async () => {
    const { u, profiles, quotas } = await spaceUnit(2);
    const most = mostUpgradesAtOnce(u);
    await profiles.switchTo(spaceScope('team-a'), 'peak', 'alice');
    await profiles.settled();
    expect(most()).toBe(2);

    // The target fake switches to normal: a-one has it, but its space's peak wins; b-one has no normal.
    await profiles.set('b-one', { name: 'normal', parallelism: 2 });
    const sw = await profiles.switchTo(targetScope('fake'), 'normal', 'bob');
    await profiles.settled();
    expect(sw.lastSwitch!.jobs.map((s) => [s.job, s.status, s.reason])).toEqual([
      ['a-bare', 'skipped', "has no resource profiles: it runs on with its version's settings"],
      [
        'a-one',
        'skipped',
        "its space has profile peak active, which wins over its target's: it runs on with it",
      ],
      ['b-one', 'waiting', null],
    ]);
    expect(await liveOn(u, 'a-one')).toBe('3');
    expect(await liveOn(u, 'b-one')).toBe('2');

    // A start takes the same rule, and quotas count it.
    expect((await u.run('a-one', 'stop')).status).toBe('succeeded');
    expect((await u.run('a-one', 'start')).params).toMatchObject({ profile: 'peak' });
    expect(await liveOn(u, 'a-one')).toBe('3');
    // The target's per-job range allows 2: the version's parallelism 1 would pass, its space's peak (3) not.
    await quotas.set('fake', { maxParallelism: 2 }, 'admin');
    expect((await u.run('a-one', 'stop')).status).toBe('succeeded');
    await expect(u.runner.launch(await u.job('a-one'), 'start', {}, 'alice')).rejects.toMatchObject({
      details: { field: 'parallelism' },
    });
    expect((await u.run('a-bare', 'stop')).status).toBe('succeeded');
    expect((await u.run('a-bare', 'start')).status).toBe('succeeded');
  });

  it('refuses an unknown space and a bad profile name, changing nothing', async () => {
    const { profiles } = await spaceUnit();
    await expect(profiles.switchTo(spaceScope('nowhere'), 'peak', 'alice')).rejects.toMatchObject({
      code: 'not_found',
      text: { code: 'space.notFound' },
    });
    await expect(profiles.state(spaceScope('nowhere'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(profiles.switchTo(spaceScope('team-a'), 'PEAK', 'alice')).rejects.toMatchObject({
      details: { field: 'profile' },
    });
    expect(await profiles.state(spaceScope('team-a'))).toEqual({
      activeProfile: null,
      lastSwitch: null,
      switching: false,
    });
  });
});

/** Counts the submissions under way at once from here on: the most seen, when asked. */
function mostUpgradesAtOnce(u: LifecycleUnit): () => number {
  let upgrading = 0;
  let most = 0;
  const launch = u.runner.launch.bind(u.runner);
  u.runner.launch = async (job, kind, params, author) => {
    const s = await launch(job, kind, params, author);
    upgrading++;
    most = Math.max(most, upgrading);
    void u.runner.wait(s.id).then(() => upgrading--);
    return s;
  };
  return () => most;
}
