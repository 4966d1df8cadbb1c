import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { checkProfileName, type ProfileScope } from './profile.ts';

/**
 * Scheduled switches of a space's or a target's active profile (peak before a sale, normal after): when each is
 * due, and what the scheduler does with one it finds due. Pure rules over instants; the scheduler
 * (src/application/profile-schedules.ts) reads the clock and runs them.
 */

/** none: once at `at`; daily, weekly: every 24 h or 7 × 24 h from `at` (UTC instants: no DST shift). */
export const SCHEDULE_REPEATS = ['none', 'daily', 'weekly'] as const;
export type ScheduleRepeat = (typeof SCHEDULE_REPEATS)[number];

const PERIOD_MS: Record<Exclude<ScheduleRepeat, 'none'>, number> = {
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
};

/** A switch is run at most this late (a server down at its time); later, it is recorded as missed. */
export const MISSED_AFTER_MS = 3600_000;

export const SCHEDULE_OUTCOMES = ['switched', 'refused', 'skipped', 'missed'] as const;
/**
 * switched: the switch was recorded and its upgrades launched; refused: the switch was refused (the
 * reason says why); skipped: a switch of the same space or target was under way; missed: more than an hour late.
 */
export type ScheduleOutcome = (typeof SCHEDULE_OUTCOMES)[number];

/** What a scheduled switch did the last time it was due. */
export interface ScheduleRun {
  /** The occurrence it ran for (ISO 8601, UTC). */
  due: string;
  /** When the scheduler acted on it. */
  at: string;
  outcome: ScheduleOutcome;
  reason: string | null;
}

export interface ScheduledSwitch {
  id: number;
  /** What switches: a space, or a deployment target. */
  scope: ProfileScope;
  profile: string;
  /** Its (first) time as given, with its offset: 2026-11-10T23:00:00+08:00. */
  at: string;
  repeat: ScheduleRepeat;
  createdBy: string;
  createdAt: string;
  lastRun: ScheduleRun | null;
}

export type NewScheduledSwitch = Omit<ScheduledSwitch, 'id' | 'lastRun'>;

// A date, a time to the minute or beyond and an offset that must be there: an instant, never a local time.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The instant of an ISO 8601 time with its offset (Z or ±hh:mm), in ms since the epoch; a time
 * without an offset, or a day or hour that does not exist, is refused naming the field.
 */
export function parseInstant(text: string, field = 'at'): number {
  const m = INSTANT.exec(text.trim());
  const refuse = () => invalid(field, message('schedule.badTime', { value: text }));
  if (!m) throw refuse();
  const [, y, mo, d, h, mi, s, , zone, oh, om] = m;
  const ms = Date.parse(text.trim());
  // Date.parse rolls 2026-02-30 over into March: the fields must read back as written.
  const day = new Date(0);
  // setUTCFullYear, not Date.UTC: that maps the years 0 to 99 onto 1900 to 1999.
  day.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (
    Number.isNaN(ms) ||
    day.getUTCMonth() !== Number(mo) - 1 ||
    day.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s ?? 0) > 59 ||
    (zone !== 'Z' && (Number(oh) > 23 || Number(om) > 59))
  )
    throw refuse();
  return ms;
}

export function checkRepeat(repeat: string): ScheduleRepeat {
  if (!(SCHEDULE_REPEATS as readonly string[]).includes(repeat))
    throw invalid(
      'repeat',
      message('schedule.badRepeat', { value: repeat, repeats: SCHEDULE_REPEATS.join(', ') }),
    );
  return repeat as ScheduleRepeat;
}

/**
 * A scheduled switch as asked for at `now`: its fields checked, each wrong one refused naming it. A
 * switch that runs once must be in the future; a repeating one may start in the past (its first
 * occurrence is then the next one after `now`).
 */
export function parseScheduledSwitch(
  input: { scope: ProfileScope; profile: string; at: string; repeat?: string | undefined },
  author: string,
  now: number,
): NewScheduledSwitch {
  checkProfileName(input.profile, 'profile');
  const at = parseInstant(input.at, 'at');
  const repeat = checkRepeat(input.repeat ?? 'none');
  if (repeat === 'none' && at <= now)
    throw invalid('at', message('schedule.inThePast', { at: input.at, now: new Date(now).toISOString() }));
  return {
    scope: { ...input.scope },
    profile: input.profile,
    at: input.at.trim(),
    repeat,
    createdBy: author,
    createdAt: new Date(now).toISOString(),
  };
}

/** The switch's first occurrence at or after `t` (ms); null: a switch that runs once, and its time is before. */
export function occurrenceFrom(s: Pick<ScheduledSwitch, 'at' | 'repeat'>, t: number): number | null {
  const at = Date.parse(s.at);
  if (at >= t) return at;
  if (s.repeat === 'none') return null;
  const period = PERIOD_MS[s.repeat];
  return at + Math.ceil((t - at) / period) * period;
}

/**
 * When the switch is next due (ms): its first occurrence since it was made, then the first after the
 * occurrence it last ran for. Null: it ran once and is done.
 */
export function nextDue(s: Omit<ScheduledSwitch, 'id' | 'scope' | 'profile' | 'createdBy'>): number | null {
  if (s.lastRun) return occurrenceFrom(s, Date.parse(s.lastRun.due) + 1);
  // A switch that runs once is due at its time even if it was made a moment after.
  return s.repeat === 'none' ? Date.parse(s.at) : occurrenceFrom(s, Date.parse(s.createdAt));
}

/** What the scheduler does with a switch at `now`. */
export type ScheduleAction =
  | { kind: 'wait'; next: number | null }
  /** `due`: the occurrence acted on (the latest one not after now: earlier ones are passed over). */
  | { kind: 'run'; due: number }
  | { kind: 'miss'; due: number; late: number };

/**
 * The rule: a switch whose next occurrence is not after `now` is due. The latest occurrence not after
 * `now` is run if it is at most `missedAfter` late, and recorded as missed otherwise (a server that
 * was down at the sale's start does not switch hours into it).
 */
export function actionAt(
  s: Omit<ScheduledSwitch, 'id' | 'scope' | 'profile' | 'createdBy'>,
  now: number,
  missedAfter = MISSED_AFTER_MS,
): ScheduleAction {
  const next = nextDue(s);
  if (next === null || next > now) return { kind: 'wait', next };
  let due = Date.parse(s.at);
  if (s.repeat !== 'none') {
    const period = PERIOD_MS[s.repeat];
    due += Math.floor((now - due) / period) * period;
  }
  const late = now - due;
  return late <= missedAfter ? { kind: 'run', due } : { kind: 'miss', due, late };
}
