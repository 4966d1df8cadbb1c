import { invalid, SluiceError } from '../domain/errors.ts';
import { message, renderMessage } from '../domain/messages.ts';
import {
  actionAt,
  MISSED_AFTER_MS,
  nextDue,
  parseScheduledSwitch,
  type ScheduledSwitch,
  type ScheduleRun,
} from '../domain/profiles/schedule.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { ProfileScheduleStore, ProfileStore } from './ports/profiles.ts';
import type { MetadataStore } from './ports/store.ts';
import type { ProfileService } from './profile-service.ts';
import { describeScope, type ProfileScope } from '../domain/profiles/profile.ts';

export interface ScheduleInput {
  profile: string;
  /** ISO 8601 with its offset. */
  at: string;
  repeat?: string | undefined;
}

/** A scheduled switch with the time it is next due (null: it ran once and is done). */
export interface ScheduledSwitchView extends ScheduledSwitch {
  nextAt: string | null;
}

/** The scheduler wakes at least this often, whatever is due: a clock set forward is noticed. */
export const WAKE_AT_LEAST_EVERY_MS = 60_000;

const view = (s: ScheduledSwitch): ScheduledSwitchView => {
  const next = nextDue(s);
  return { ...s, nextAt: next === null ? null : new Date(next).toISOString() };
};

/**
 * Scheduled switches of a space's or a target's active profile, and the scheduler that runs them: it
 * sleeps until the next one is due (a minute at most), runs each due one through
 * ProfileService.switchTo as `scheduler (switch <id>)`, and records what came of it. A switch found
 * more than an hour late (the server was down at its time) is recorded as missed instead.
 */
export class ProfileSchedules {
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** The sleep under way, aborted to look again at once (a switch added, the server stopping). */
  private sleep: AbortController | null = null;
  /** Set when woken during a tick: the next sleep is skipped, the tick may have read the list before. */
  private woken = false;

  constructor(
    private readonly store: MetadataStore,
    private readonly schedules: ProfileScheduleStore,
    private readonly profileStore: ProfileStore,
    private readonly profiles: Pick<ProfileService, 'switchTo' | 'state'>,
    private readonly clock: Clock = systemClock,
    private readonly log: { info(line: string): void; warn(line: string): void } = {
      info: () => {},
      warn: () => {},
    },
  ) {}

  /** Throws not_found for a space or target that does not exist. */
  private async requireScope(scope: ProfileScope): Promise<void> {
    await this.profiles.state(scope);
  }

  async list(scope: ProfileScope): Promise<ScheduledSwitchView[]> {
    await this.requireScope(scope);
    return (await this.schedules.list(scope)).map(view);
  }

  /**
   * Schedules a switch of the scope to `profile`. Refused, naming the field: a time without its offset
   * or past (for a switch that runs once), a repeat other than none, daily, weekly, and a profile no
   * job of the scope has (a misspelt name would switch nothing when the sale starts).
   */
  async add(scope: ProfileScope, input: ScheduleInput, author: string): Promise<ScheduledSwitchView> {
    await this.requireScope(scope);
    const s = parseScheduledSwitch({ scope, ...input }, author, this.clock.now());
    const spaces = await this.store.spaces.spacesOf('job');
    const names = new Set<string>();
    for (const job of (await this.store.jobs.list()).filter(
      (j) => (scope.kind === 'target' ? j.target : spaces.get(j.name)) === scope.name,
    ))
      for (const p of await this.profileStore.ofJob(job.id)) names.add(p.name);
    if (!names.has(s.profile)) {
      const known = names.size
        ? message('schedule.profilesThere', { profiles: [...names].sort().join(', ') })
        : message('schedule.noProfiles');
      throw invalid(
        'profile',
        scope.kind === 'target'
          ? message('schedule.unknownProfile', { target: scope.name, profile: s.profile, known })
          : message('schedule.spaceUnknownProfile', { space: scope.name, profile: s.profile, known }),
      );
    }
    const added = await this.schedules.add(s);
    this.wake();
    return view(added);
  }

  async remove(scope: ProfileScope, id: number): Promise<void> {
    await this.requireScope(scope);
    if (!(await this.schedules.remove(scope, id)))
      throw new SluiceError(
        'not_found',
        scope.kind === 'target'
          ? message('schedule.notFound', { target: scope.name, id })
          : message('schedule.spaceNotFound', { space: scope.name, id }),
        { id },
      );
  }

  /**
   * Runs every switch due now, each in turn, and records its outcome; answers how long to sleep until
   * the next is due (a minute at most).
   */
  async tick(): Promise<number> {
    this.woken = false;
    for (const s of await this.schedules.list()) {
      if (this.stopping) break;
      const action = actionAt(s, this.clock.now());
      if (action.kind === 'wait') continue;
      const due = new Date(action.due).toISOString();
      const run: ScheduleRun =
        action.kind === 'run'
          ? await this.run(s, due)
          : {
              due,
              at: this.clock.iso(),
              outcome: 'missed',
              reason: renderMessage(
                s.scope.kind === 'target'
                  ? message('schedule.missed', {
                      due,
                      late: Math.floor(action.late / 60_000),
                      limit: MISSED_AFTER_MS / 60_000,
                      target: s.scope.name,
                      profile: s.profile,
                    })
                  : message('schedule.spaceMissed', {
                      due,
                      late: Math.floor(action.late / 60_000),
                      limit: MISSED_AFTER_MS / 60_000,
                      space: s.scope.name,
                      profile: s.profile,
                    }),
              ),
            };
      await this.schedules.recordRun(s.id, run);
      this.log[run.outcome === 'switched' ? 'info' : 'warn'](
        `scheduled switch ${s.id} of ${describeScope(s.scope)} to profile ${s.profile} (due ${due}): ${run.outcome}${run.reason ? `: ${run.reason}` : ''}`,
      );
    }
    const now = this.clock.now();
    const next = Math.min(
      ...(await this.schedules.list()).map((s) => nextDue(s) ?? Infinity),
      now + WAKE_AT_LEAST_EVERY_MS,
    );
    return Math.max(0, next - now);
  }

  private async run(s: ScheduledSwitch, due: string): Promise<ScheduleRun> {
    const at = this.clock.iso();
    try {
      const state = await this.profiles.switchTo(s.scope, s.profile, `scheduler (switch ${s.id})`);
      const jobs = state.lastSwitch?.jobs ?? [];
      const moving = jobs.filter((j) => j.status === 'waiting').length;
      return {
        due,
        at,
        outcome: 'switched',
        reason: `${moving} job(s) to upgrade, ${jobs.length - moving} skipped (${s.scope.kind === 'target' ? `sluice target profile ${s.scope.name}` : `sluice profile status --space ${s.scope.name}`} shows each)`,
      };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      // A switch under way (by hand or an earlier schedule) is not overridden: this one gives way.
      const underWay = e instanceof SluiceError && e.code === 'conflict';
      return { due, at, outcome: underWay ? 'skipped' : 'refused', reason };
    }
  }

  /** Looks again at once: a switch was added (it may be due before the current sleep ends). */
  wake(): void {
    this.woken = true;
    this.sleep?.abort();
  }

  /** Runs the scheduler until `stop`: a switch missed while the server was down is handled at once. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let wait = WAKE_AT_LEAST_EVERY_MS;
        try {
          wait = await this.tick();
        } catch (e) {
          this.log.warn(`the profile scheduler could not run: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (this.stopping) break;
        if (this.woken) continue;
        this.sleep = new AbortController();
        await this.clock.sleep(wait, this.sleep.signal);
        this.sleep = null;
      }
    })();
  }

  /** Ends the scheduler: a switch being started is waited for, none starts after. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleep?.abort();
    await this.loop;
    this.loop = null;
  }
}
