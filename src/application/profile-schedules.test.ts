import { describe, expect, it } from 'vitest';
import { spaceScope, targetScope } from '../domain/profiles/profile.ts';
import { lifecycleUnit } from '../../test/support/lifecycle-unit.ts';
import type { Clock } from './ports/clock.ts';
import { ProfileSchedules, WAKE_AT_LEAST_EVERY_MS } from './profile-schedules.ts';
import { ProfileService } from './profile-service.ts';

/**
 * Time that moves only when the test moves it: a sleeper wakes when its time comes (or is woken), and
 * the test can wait until the scheduler sleeps again, to see what it did on waking and how long it
 * means to sleep.
 */
class ManualClock implements Clock {
  private t = Date.parse('2026-11-10T12:00:00Z');
  private sleepers: { until: number; wake: () => void }[] = [];
  private onSleep: ((ms: number) => void)[] = [];
  now(): number {
    return this.t;
  }
  iso(): string {
    return new Date(this.t).toISOString();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        until: this.t + ms,
        wake: () => {
          this.sleepers = this.sleepers.filter((s) => s !== entry);
          resolve();
        },
      };
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', entry.wake, { once: true });
      this.sleepers.push(entry);
      for (const f of this.onSleep.splice(0)) f(ms);
    });
  }
  /** Resolves with the length of the scheduler's next sleep, once it begins. */
  nextSleep(): Promise<number> {
    return new Promise((r) => this.onSleep.push(r));
  }
  advance(ms: number): void {
    this.t += ms;
    for (const s of this.sleepers.filter((x) => x.until <= this.t)) s.wake();
  }
  get sleeping(): number {
    return this.sleepers.length;
  }
}

async function scheduleUnit() {
  const u = await lifecycleUnit();
  const profiles = new ProfileService(u.store, u.store.profiles, u.jobs, u.runner, u.targets);
  u.runner.profiles = { active: (j, t) => profiles.active(j, t), named: (j, n) => profiles.named(j, n) };
  const clock = new ManualClock();
  const lines: string[] = [];
  const scheduler = () =>
    new ProfileSchedules(u.store, u.store.profileSchedules, u.store.profiles, profiles, clock, {
      info: (l) => lines.push(l),
      warn: (l) => lines.push(l),
    });
  await u.createJob('orders');
  expect((await u.run('orders', 'start')).status).toBe('succeeded');
  await profiles.set('orders', { name: 'peak', parallelism: 3 });
  await profiles.set('orders', { name: 'normal', parallelism: 1 });
  return { u, profiles, clock, scheduler, lines };
}

const liveParallelism = async (u: Awaited<ReturnType<typeof lifecycleUnit>>) =>
  u.flink.job((await u.job('orders')).flinkJobId!).options['parallelism.default'];

describe('the profile scheduler', () => {
  it('sleeps until the switch is due, a minute at most at a time; then switches the target as the scheduler and records it', async () => {
    const { u, profiles, clock, scheduler } = await scheduleUnit();
    const s = scheduler();
    // 90 s ahead, in Beijing time.
    const added = await s.add(
      targetScope('fake'),
      { profile: 'peak', at: '2026-11-10T20:01:30+08:00' },
      'alice',
    );
    expect(added).toMatchObject({
      id: 1,
      scope: { kind: 'target', name: 'fake' },
      profile: 'peak',
      at: '2026-11-10T20:01:30+08:00',
      repeat: 'none',
      createdBy: 'alice',
      createdAt: '2026-11-10T12:00:00.000Z',
      nextAt: '2026-11-10T12:01:30.000Z',
      lastRun: null,
    });
    let slept = clock.nextSleep();
    s.start();
    expect(await slept).toBe(WAKE_AT_LEAST_EVERY_MS);
    slept = clock.nextSleep();
    clock.advance(60_000);
    expect(await slept).toBe(30_000);
    expect((await s.list(targetScope('fake')))[0]!.lastRun).toBeNull();

    slept = clock.nextSleep();
    clock.advance(30_000);
    // Nothing else is due: it sleeps a minute (never a busy loop).
    expect(await slept).toBe(WAKE_AT_LEAST_EVERY_MS);
    const [done] = await s.list(targetScope('fake'));
    expect(done).toMatchObject({
      nextAt: null,
      lastRun: {
        due: '2026-11-10T12:01:30.000Z',
        at: '2026-11-10T12:01:30.000Z',
        outcome: 'switched',
        reason: '1 job(s) to upgrade, 0 skipped (sluice target profile fake shows each)',
      },
    });
    await profiles.settled();
    expect(await liveParallelism(u)).toBe('3');
    const upgrade = (await u.store.lifecycle.submissions((await u.job('orders')).id)).at(-1)!;
    expect(upgrade).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'peak', profileSwitch: 'fake' },
      author: 'scheduler (switch 1) (profile switch of fake to peak)',
    });
    expect((await profiles.state(targetScope('fake'))).lastSwitch).toMatchObject({
      author: 'scheduler (switch 1)',
    });
    await s.stop();
    expect(clock.sleeping).toBe(0);
  });

  it('a switch added while it sleeps is looked at at once; a daily one runs again the next day', async () => {
    const { u, profiles, clock, scheduler } = await scheduleUnit();
    const s = scheduler();
    let slept = clock.nextSleep();
    s.start();
    expect(await slept).toBe(WAKE_AT_LEAST_EVERY_MS);
    slept = clock.nextSleep();
    await s.add(
      targetScope('fake'),
      { profile: 'peak', at: '2026-11-10T12:00:05Z', repeat: 'daily' },
      'alice',
    );
    expect(await slept).toBe(5_000);
    slept = clock.nextSleep();
    clock.advance(5_000);
    await slept;
    await profiles.settled();
    expect(await liveParallelism(u)).toBe('3');
    const [daily] = await s.list(targetScope('fake'));
    expect(daily).toMatchObject({
      nextAt: '2026-11-11T12:00:05.000Z',
      lastRun: { due: '2026-11-10T12:00:05.000Z', outcome: 'switched' },
    });

    // Back to normal by hand in between; the next day the schedule switches to peak again.
    await profiles.switchTo(targetScope('fake'), 'normal', 'bob');
    await profiles.settled();
    expect(await liveParallelism(u)).toBe('1');
    // It wakes every minute in between (the next day is far): at 12:00:05 the next day it is due.
    for (let i = 0; i < 24 * 60 - 1; i++) {
      slept = clock.nextSleep();
      clock.advance(60_000);
      await slept;
    }
    expect((await s.list(targetScope('fake')))[0]!.lastRun).toMatchObject({
      due: '2026-11-10T12:00:05.000Z',
    });
    slept = clock.nextSleep();
    clock.advance(60_000);
    await slept;
    await profiles.settled();
    expect((await s.list(targetScope('fake')))[0]).toMatchObject({
      nextAt: '2026-11-12T12:00:05.000Z',
      lastRun: { due: '2026-11-11T12:00:05.000Z', outcome: 'switched' },
    });
    expect(await liveParallelism(u)).toBe('3');
    await s.stop();
  });

  it('records a switch as skipped while another of the target is under way, and as refused when the switch is', async () => {
    const { u, profiles, clock, scheduler, lines } = await scheduleUnit();
    const s = scheduler();
    await s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-10T12:01:00Z' }, 'alice');
    // A switch by hand whose upgrade has not ended.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const wait = u.runner.wait.bind(u.runner);
    u.runner.wait = async (id) => {
      await held;
      return wait(id);
    };
    await profiles.switchTo(targetScope('fake'), 'normal', 'bob');
    clock.advance(60_000);
    await s.tick();
    expect((await s.list(targetScope('fake')))[0]!.lastRun).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/^target fake is already switching to profile normal/),
    });
    release();
    await profiles.settled();

    // A target removed behind the schedule's back: the switch is refused with the reason.
    await s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-10T12:02:00Z' }, 'alice');
    await u.store.targets.remove('fake');
    clock.advance(60_000);
    await s.tick();
    expect((await u.store.profileSchedules.list(targetScope('fake')))[1]!.lastRun).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(/fake/),
    });
    expect(lines.join('\n')).toMatch(/scheduled switch 2 of target fake to profile peak .*: refused/);
  });

  it('a server down at the time runs the switch at start if at most an hour late, and records it missed if later', async () => {
    const { u, profiles, clock, scheduler } = await scheduleUnit();
    const before = scheduler();
    await before.add(targetScope('fake'), { profile: 'peak', at: '2026-11-10T13:00:00Z' }, 'alice');
    await before.add(
      targetScope('fake'),
      { profile: 'normal', at: '2026-11-10T12:30:00Z', repeat: 'weekly' },
      'alice',
    );
    // Down from 12:00 to 13:45: the weekly one is 75 min late, the other 45 min.
    clock.advance(105 * 60_000);
    const after = scheduler();
    const slept = clock.nextSleep();
    after.start();
    await slept;
    const [once, weekly] = await after.list(targetScope('fake'));
    expect(once!.lastRun).toMatchObject({ due: '2026-11-10T13:00:00.000Z', outcome: 'switched' });
    expect(weekly!.lastRun).toEqual({
      due: '2026-11-10T12:30:00.000Z',
      at: '2026-11-10T13:45:00.000Z',
      outcome: 'missed',
      reason:
        'the server was not running at 2026-11-10T12:30:00.000Z: it was 75 min late, more than 60 min, so the switch was not made (switch by hand: sluice target profile fake normal)',
    });
    expect(weekly!.nextAt).toBe('2026-11-17T12:30:00.000Z');
    await profiles.settled();
    expect(await liveParallelism(u)).toBe('3');
    await after.stop();
  });

  it('refuses, naming the field and keeping nothing: a profile no job of the target has, a past or malformed time, a bad repeat; and unknown targets and ids', async () => {
    const { clock, scheduler } = await scheduleUnit();
    const s = scheduler();
    await expect(
      s.add(targetScope('fake'), { profile: 'peek', at: '2026-11-11T00:00:00Z' }, 'alice'),
    ).rejects.toMatchObject({
      details: { field: 'profile' },
      message: expect.stringContaining('its jobs have normal, peak'),
    });
    await expect(
      s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-10T11:59:00Z' }, 'alice'),
    ).rejects.toMatchObject({
      details: { field: 'at' },
      text: { params: { problem: { code: 'schedule.inThePast' } } },
    });
    await expect(
      s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-11 00:00' }, 'alice'),
    ).rejects.toMatchObject({
      details: { field: 'at' },
      text: { params: { problem: { code: 'schedule.badTime' } } },
    });
    await expect(
      s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-11T00:00:00Z', repeat: 'monthly' }, 'alice'),
    ).rejects.toMatchObject({ details: { field: 'repeat' } });
    await expect(
      s.add(targetScope('nowhere'), { profile: 'peak', at: '2026-11-11T00:00:00Z' }, 'alice'),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await s.list(targetScope('fake'))).toEqual([]);
    const added = await s.add(targetScope('fake'), { profile: 'peak', at: '2026-11-11T00:00:00Z' }, 'alice');
    await expect(s.remove(targetScope('fake'), added.id + 1)).rejects.toMatchObject({
      code: 'not_found',
      message: 'target fake has no scheduled switch 2: sluice profile schedule list --target fake names them',
    });
    await s.remove(targetScope('fake'), added.id);
    expect(await s.list(targetScope('fake'))).toEqual([]);
    expect(clock.sleeping).toBe(0);
  });

  it("runs a space's scheduled switch on the jobs of the space; a space's refusals name the space", async () => {
    const { u, profiles, clock, scheduler } = await scheduleUnit();
    await u.store.spaces.addSpace({ name: 'team-a', createdAt: 'now', createdBy: 'admin' });
    const teamA = spaceScope('team-a');
    const s = scheduler();
    // orders is still in space default: no job of team-a has a profile yet.
    await expect(
      s.add(teamA, { profile: 'peak', at: '2026-11-10T12:01:00Z' }, 'alice'),
    ).rejects.toMatchObject({
      details: { field: 'profile' },
      message:
        'profile: no job of space team-a has a profile peak (its jobs have no profiles): give a job that profile first (sluice job profile set JOB peak --parallelism N)',
    });
    await expect(s.list(spaceScope('nowhere'))).rejects.toMatchObject({ code: 'not_found' });
    await u.store.spaces.move('job', 'orders', 'team-a');
    const added = await s.add(teamA, { profile: 'peak', at: '2026-11-10T12:01:00Z' }, 'alice');
    expect(added).toMatchObject({ id: 1, scope: { kind: 'space', name: 'team-a' }, profile: 'peak' });
    // A target's list does not show it.
    expect(await s.list(targetScope('fake'))).toEqual([]);
    clock.advance(60_000);
    await s.tick();
    await profiles.settled();
    expect((await s.list(teamA))[0]!.lastRun).toMatchObject({
      outcome: 'switched',
      reason: '1 job(s) to upgrade, 0 skipped (sluice profile status --space team-a shows each)',
    });
    expect(await liveParallelism(u)).toBe('3');
    expect((await u.store.lifecycle.submissions((await u.job('orders')).id)).at(-1)).toMatchObject({
      kind: 'upgrade',
      status: 'succeeded',
      params: { profile: 'peak', profileSwitch: 'space team-a' },
      author: 'scheduler (switch 1) (profile switch of space team-a to peak)',
    });
    expect((await profiles.state(teamA)).activeProfile).toBe('peak');
    await expect(s.remove(teamA, 9)).rejects.toMatchObject({
      code: 'not_found',
      message:
        'space team-a has no scheduled switch 9: sluice profile schedule list --space team-a names them',
    });
    await expect(s.remove(targetScope('fake'), added.id)).rejects.toMatchObject({ code: 'not_found' });
    await s.remove(teamA, added.id);
    expect(await s.list(teamA)).toEqual([]);
  });
});
