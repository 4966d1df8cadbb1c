import { describe, expect, it } from 'vitest';
import {
  actionAt,
  nextDue,
  parseInstant,
  parseScheduledSwitch,
  type ScheduleRepeat,
  type ScheduleRun,
} from './schedule.ts';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ran = (due: string): ScheduleRun => ({ due, at: due, outcome: 'switched', reason: null });

describe('an instant with its offset', () => {
  it.each([
    ['2026-11-10T23:00:00+08:00', '2026-11-10T15:00:00.000Z'],
    ['2026-11-10T23:00+08:00', '2026-11-10T15:00:00.000Z'],
    ['2026-11-10T15:00:00Z', '2026-11-10T15:00:00.000Z'],
    ['2026-11-10T15:00:00.250Z', '2026-11-10T15:00:00.250Z'],
    ['0004-02-29T00:00:00Z', '0004-02-29T00:00:00.000Z'], // a leap day in a year below 100
    ['2026-11-10T01:30:00-05:00', '2026-11-10T06:30:00.000Z'],
    [' 2026-02-28T23:59:59+00:00 ', '2026-02-28T23:59:59.000Z'],
  ])('%s is %s', (text, utc) => {
    expect(new Date(parseInstant(text)).toISOString()).toBe(utc);
  });

  it.each([
    '2026-11-10T23:00:00', // a local time: which zone?
    '2026-11-10 23:00:00+08:00',
    '2026-11-10',
    '2026-02-30T10:00:00Z', // Date.parse would roll it into March
    '2026-13-01T10:00:00Z',
    '2026-11-10T24:00:00Z',
    '2026-11-10T23:60:00Z',
    '2026-11-10T23:00:00+0800',
    'tomorrow',
  ])('%s is refused naming the field', (text) => {
    expect(() => parseInstant(text, 'at')).toThrow(
      expect.objectContaining({
        details: { field: 'at' },
        text: expect.objectContaining({ code: 'invalid.field' }),
      }),
    );
  });
});

describe('a scheduled switch as asked for', () => {
  const now = t('2026-11-10T12:00:00Z');
  it('keeps its time as written, with its offset; repeat defaults to none', () => {
    expect(
      parseScheduledSwitch(
        { scope: { kind: 'target', name: 'apps' }, profile: 'peak', at: '2026-11-10T23:00:00+08:00' },
        'alice',
        now,
      ),
    ).toEqual({
      scope: { kind: 'target', name: 'apps' },
      profile: 'peak',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      createdBy: 'alice',
      createdAt: '2026-11-10T12:00:00.000Z',
    });
  });
  it.each([
    [{ profile: 'Peak', at: '2026-11-11T00:00:00Z' }, 'profile'],
    [{ profile: 'peak', at: '2026-11-11T00:00:00' }, 'at'],
    [{ profile: 'peak', at: '2026-11-10T19:59:59+08:00' }, 'at'], // 11:59:59Z: a second ago
    [{ profile: 'peak', at: '2026-11-10T12:00:00Z' }, 'at'], // now is not to come
    [{ profile: 'peak', at: '2026-11-11T00:00:00Z', repeat: 'hourly' }, 'repeat'],
  ])('%o is refused naming %s', (input, field) => {
    expect(() =>
      parseScheduledSwitch({ scope: { kind: 'target', name: 'apps' }, ...input }, 'alice', now),
    ).toThrow(expect.objectContaining({ details: { field } }));
  });
  it('a repeating switch may start in the past', () => {
    expect(
      parseScheduledSwitch(
        {
          scope: { kind: 'target', name: 'apps' },
          profile: 'normal',
          at: '2026-01-01T02:00:00+08:00',
          repeat: 'daily',
        },
        'alice',
        now,
      ).repeat,
    ).toBe('daily');
  });
});

describe('which switches are due at a time, and when a repeating one is next', () => {
  // Made at 12:00Z on 10 November; the sale starts at 23:00 in Beijing (15:00Z).
  const made = '2026-11-10T12:00:00.000Z';
  const cases: {
    name: string;
    at: string;
    repeat: ScheduleRepeat;
    lastRun?: string;
    now: string;
    action: string;
    due?: string;
    next?: string | null;
  }[] = [
    {
      name: 'once, before its time',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      now: '2026-11-10T14:59:59Z',
      action: 'wait',
      next: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'once, at its time',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      now: '2026-11-10T15:00:00Z',
      action: 'run',
      due: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'once, 59 min late (server down at its time)',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      now: '2026-11-10T15:59:00Z',
      action: 'run',
      due: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'once, exactly an hour late',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      now: '2026-11-10T16:00:00Z',
      action: 'run',
      due: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'once, more than an hour late',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      now: '2026-11-10T16:00:01Z',
      action: 'miss',
      due: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'once, after it ran',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'none',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-12T00:00:00Z',
      action: 'wait',
      next: null,
    },
    {
      name: 'daily, first occurrence at its time',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'daily',
      now: '2026-11-10T15:00:00Z',
      action: 'run',
      due: '2026-11-10T15:00:00.000Z',
    },
    {
      name: 'daily, after the first ran: the next day',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'daily',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-11T14:00:00Z',
      action: 'wait',
      next: '2026-11-11T15:00:00.000Z',
    },
    {
      name: 'daily, the next day at its time',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'daily',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-11T15:00:30Z',
      action: 'run',
      due: '2026-11-11T15:00:00.000Z',
    },
    {
      name: 'daily, server down three days: only the latest, and it is late',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'daily',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-13T18:00:00Z',
      action: 'miss',
      due: '2026-11-13T15:00:00.000Z',
    },
    {
      name: 'daily, server down three days: the latest is 10 min late',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'daily',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-13T15:10:00Z',
      action: 'run',
      due: '2026-11-13T15:00:00.000Z',
    },
    {
      name: 'daily, starting in the past: first is the next after it was made',
      at: '2026-01-01T02:00:00+08:00',
      repeat: 'daily',
      now: '2026-11-10T12:30:00Z',
      action: 'wait',
      next: '2026-11-10T18:00:00.000Z',
    },
    {
      name: 'daily, starting in the past, at its first time',
      at: '2026-01-01T02:00:00+08:00',
      repeat: 'daily',
      now: '2026-11-10T18:00:00Z',
      action: 'run',
      due: '2026-11-10T18:00:00.000Z',
    },
    {
      name: 'weekly, the week after',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'weekly',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-11T15:00:00Z',
      action: 'wait',
      next: '2026-11-17T15:00:00.000Z',
    },
    {
      name: 'weekly, at its time the week after',
      at: '2026-11-10T23:00:00+08:00',
      repeat: 'weekly',
      lastRun: '2026-11-10T15:00:00.000Z',
      now: '2026-11-17T15:00:00Z',
      action: 'run',
      due: '2026-11-17T15:00:00.000Z',
    },
    {
      name: 'a zone west of UTC, same instant',
      at: '2026-11-10T10:00:00-05:00',
      repeat: 'none',
      now: '2026-11-10T15:00:00Z',
      action: 'run',
      due: '2026-11-10T15:00:00.000Z',
    },
  ];
  it.each(cases)('$name', (c) => {
    const s = { at: c.at, repeat: c.repeat, createdAt: made, lastRun: c.lastRun ? ran(c.lastRun) : null };
    const a = actionAt(s, t(c.now));
    expect(a.kind).toBe(c.action);
    if (a.kind === 'wait') expect(iso(a.next)).toBe(c.next);
    else expect(iso(a.due)).toBe(c.due);
    if (a.kind === 'miss') expect(a.late).toBe(t(c.now) - t(c.due!));
  });

  it('after a run or a miss, the next time is the first occurrence after the one acted on', () => {
    const s = { at: '2026-11-10T23:00:00+08:00', repeat: 'daily' as const, createdAt: made };
    expect(iso(nextDue({ ...s, lastRun: null }))).toBe('2026-11-10T15:00:00.000Z');
    expect(iso(nextDue({ ...s, lastRun: ran('2026-11-13T15:00:00.000Z') }))).toBe('2026-11-14T15:00:00.000Z');
    expect(nextDue({ ...s, repeat: 'none', lastRun: ran('2026-11-10T15:00:00.000Z') })).toBeNull();
  });
});
