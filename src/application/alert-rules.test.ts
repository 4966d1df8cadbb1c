import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../domain/alerts/alert-notification.ts';
import type { AlertRule } from '../domain/alerts/alert-rules.ts';
import type { Job } from '../domain/jobs/job.ts';
import type { JobEvent } from '../domain/jobs/submission.ts';
import { alertmanagerPayload, failedAlert } from '../../test/support/alertmanager.ts';
import { AlertRules } from './alert-rules.ts';
import type { AlertDelivery, AlertHistoryEntry, AlertRuleStore } from './ports/alerts.ts';

/** Alert rules and their history in memory, for unit tests of the use cases. */
class MemoryAlertStore implements AlertRuleStore {
  private readonly byName = new Map<string, AlertRule>();
  private readonly entries: AlertHistoryEntry[] = [];

  async rules(): Promise<AlertRule[]> {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async rule(name: string): Promise<AlertRule | undefined> {
    return this.byName.get(name);
  }

  async saveRule(rule: AlertRule): Promise<void> {
    this.byName.set(rule.name, {
      ...rule,
      createdAt: this.byName.get(rule.name)?.createdAt ?? rule.createdAt,
    });
  }

  async removeRule(name: string): Promise<boolean> {
    return this.byName.delete(name);
  }

  async recordAlert(entry: AlertHistoryEntry): Promise<void> {
    const i = this.entries.findIndex(
      (e) => e.fingerprint === entry.fingerprint && e.notification.startsAt === entry.notification.startsAt,
    );
    if (i >= 0) this.entries[i] = entry;
    else this.entries.push(entry);
  }

  async history(job: string | null, limit: number): Promise<AlertHistoryEntry[]> {
    return this.entries
      .filter((e) => job === null || e.job === job)
      .sort((a, b) => b.notification.startsAt.localeCompare(a.notification.startsAt))
      .slice(0, limit);
  }
}

/** Channels in memory: what each was asked to deliver; `refusing` ones throw as a receiver that says no. */
class MemoryDelivery implements AlertDelivery {
  readonly sent: { channel: string; notifications: AlertNotification[] }[] = [];
  constructor(
    private readonly channels: string[],
    private readonly refusing: string[] = [],
  ) {}
  async exists(channel: string) {
    return this.channels.includes(channel);
  }
  async deliver(channel: string, notifications: AlertNotification[]) {
    if (this.refusing.includes(channel)) throw new Error(`webhook channel ${channel}: HTTP 500 down`);
    this.sent.push({ channel, notifications });
    return { sent: 1, batched: notifications.length - 1 };
  }
}

const job = (name: string, state: string, stateReason: string | null) =>
  ({ id: `id-${name}`, name, state, stateReason }) as unknown as Job;

/** Spaces default and web; refunds is web's job, every other job default's. */
const spaces = {
  space: async (name: string) =>
    ['default', 'web'].includes(name) ? { name, createdAt: '', createdBy: 'admin' } : undefined,
  spaceOf: async (_kind: string, name: string) => (name === 'refunds' ? 'web' : 'default'),
};

function setup(opts: { refusing?: string[] } = {}) {
  const store = new MemoryAlertStore();
  const delivery = new MemoryDelivery(['ops', 'pager'], opts.refusing);
  const applied: AlertRule[][] = [];
  const warnings: string[] = [];
  const published: AlertHistoryEntry[] = [];
  const jobs = new Map([
    ['orders', job('orders', 'FAILED', 'java.lang.NumberFormatException: For input string: "x11"')],
    ['clicks', job('clicks', 'RUNNING', null)],
    ['refunds', job('refunds', 'RUNNING', null)],
  ]);
  const events: Record<string, JobEvent[]> = {
    'id-clicks': [{ to: 'FAILED', reason: 'java.io.IOException: disk full' } as JobEvent],
  };
  let now = Date.parse('2026-12-03T10:00:00Z');
  const rules = new AlertRules(
    store,
    { getByName: async (n) => jobs.get(n) },
    { events: async (id) => events[id] ?? [] },
    delivery,
    spaces,
    {
      apply: async (r) => void applied.push(r),
      consoleUrl: 'http://sluice.example.com',
      log: { warn: (l) => warnings.push(l) },
      now: () => new Date((now += 1000)),
      published: (e) => void published.push(e),
    },
  );
  return { store, delivery, applied, warnings, rules, published };
}

describe('alert rules, stored and applied', () => {
  it('stores a rule, hands every rule to Prometheus and Alertmanager, replaces and removes it', async () => {
    const { rules, applied } = setup();
    const saved = await rules.put('orders-failed', { kind: 'failed', job: 'orders', channel: 'ops' });
    expect(saved).toMatchObject({ name: 'orders-failed', job: 'orders', kind: 'failed', for: '0s' });
    await rules.put('lagging', { kind: 'lag', threshold: 1000, channel: 'pager' });
    expect(applied.at(-1)!.map((r) => r.name)).toEqual(['lagging', 'orders-failed']);
    const replaced = await rules.put('orders-failed', {
      kind: 'failed',
      job: 'orders',
      channel: 'pager',
      severity: 'critical',
    });
    expect(replaced.createdAt).toBe(saved.createdAt);
    expect(replaced.updatedAt > saved.updatedAt).toBe(true);
    expect((await rules.get('orders-failed')).channel).toBe('pager');
    // A job's rules: its own and those of its space.
    expect((await rules.list('orders')).map((r) => r.name)).toEqual(['lagging', 'orders-failed']);
    expect((await rules.list('clicks')).map((r) => r.name)).toEqual(['lagging']);
    expect((await rules.list('refunds')).map((r) => r.name)).toEqual([]);
    await rules.put('web-failed', { kind: 'failed', channel: 'ops', space: 'web' });
    expect(await rules.get('web-failed')).toMatchObject({ job: null, space: 'web' });
    expect((await rules.list('refunds')).map((r) => r.name)).toEqual(['web-failed']);
    expect((await rules.list('orders')).map((r) => r.name)).toEqual(['lagging', 'orders-failed']);
    await rules.remove('web-failed');
    await rules.remove('lagging');
    expect(applied.at(-1)!.map((r) => r.name)).toEqual(['orders-failed']);
    await expect(rules.remove('lagging')).rejects.toMatchObject({
      code: 'not_found',
      details: { rule: 'lagging' },
    });
  });

  it('refuses an unknown job or channel and a wrong field, changing nothing', async () => {
    const { rules, applied } = setup();
    await expect(rules.put('r', { kind: 'failed', job: 'nope', channel: 'ops' })).rejects.toMatchObject({
      code: 'not_found',
      details: { job: 'nope' },
      message: expect.stringContaining('job nope does not exist') as string,
    });
    await expect(rules.put('r', { kind: 'failed', channel: 'slack' })).rejects.toMatchObject({
      code: 'not_found',
      details: { channel: 'slack' },
      message: expect.stringContaining('sluice alert channel add slack') as string,
    });
    await expect(rules.put('r', { kind: 'lag', channel: 'ops' })).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { field: 'threshold' },
    });
    // A rule per space needs the space; a rule's job is one of its own space.
    await expect(rules.put('r', { kind: 'failed', channel: 'ops', space: 'nowhere' })).rejects.toMatchObject({
      code: 'not_found',
      details: { space: 'nowhere' },
      message: expect.stringContaining("space 'nowhere' does not exist") as string,
    });
    await expect(
      rules.put('r', { kind: 'failed', channel: 'ops', job: 'refunds', space: 'default' }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { field: 'job' },
      message: expect.stringContaining("job refunds is in space 'web', not in 'default'") as string,
    });
    expect(await rules.list()).toEqual([]);
    expect(applied).toEqual([]);
  });

  it('keeps a rule that Prometheus could not be given, and says so', async () => {
    const { store, warnings } = setup();
    const rules = new AlertRules(
      store,
      { getByName: async () => undefined },
      { events: async () => [] },
      new MemoryDelivery(['ops']),
      spaces,
      {
        apply: async () => {
          throw new Error('Prometheus at http://127.0.0.1:9190 is not ready');
        },
        consoleUrl: null,
        log: { warn: (l) => warnings.push(l) },
      },
    );
    await rules.put('all-failed', { kind: 'failed', channel: 'ops' });
    expect((await rules.list()).map((r) => r.name)).toEqual(['all-failed']);
    expect(warnings).toEqual([
      'alert rules are stored but not applied: Prometheus at http://127.0.0.1:9190 is not ready',
    ]);
  });
});

describe("Alertmanager's webhook, received", () => {
  it("delivers each alert through its rule's channel with the job's root cause and link, and keeps it as history", async () => {
    const { rules, delivery, store } = setup();
    const clicks = {
      ...failedAlert('firing', 'clicks'),
      labels: { ...failedAlert('firing', 'clicks').labels, sluice_channel: 'pager' },
    };
    const r = await rules.receive(alertmanagerPayload([failedAlert('firing'), clicks]));
    expect(r).toEqual({ received: 2, delivered: 2 });
    expect(delivery.sent).toEqual([
      {
        channel: 'ops',
        notifications: [
          expect.objectContaining({
            rule: 'orders-failed',
            job: 'orders',
            status: 'firing',
            rootCause: 'java.lang.NumberFormatException: For input string: "x11"',
            link: 'http://sluice.example.com/jobs/orders',
          }),
        ],
      },
      // clicks runs again: the cause is its last failure in the store.
      {
        channel: 'pager',
        notifications: [expect.objectContaining({ rootCause: 'java.io.IOException: disk full' })],
      },
    ]);
    // Resolved: the same entry, now with its end.
    await rules.receive(alertmanagerPayload([failedAlert('resolved')]));
    const history = await rules.history('orders');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      rule: 'orders-failed',
      channel: 'ops',
      delivery: 'sent in 1 message',
      notification: { status: 'resolved', endsAt: '2026-12-03T10:05:00.000Z' },
    });
    expect((await store.history(null, 10)).map((e) => e.job).sort()).toEqual(['clicks', 'orders']);
  });

  it('records a channel that refuses in the history, and still delivers the others', async () => {
    const { rules, delivery, warnings } = setup({ refusing: ['ops'] });
    const clicks = {
      ...failedAlert('firing', 'clicks'),
      labels: { ...failedAlert('firing', 'clicks').labels, sluice_channel: 'pager' },
    };
    expect(await rules.receive(alertmanagerPayload([failedAlert('firing'), clicks]))).toEqual({
      received: 2,
      delivered: 1,
    });
    expect(delivery.sent.map((s) => s.channel)).toEqual(['pager']);
    expect((await rules.history('orders'))[0]!.delivery).toBe('not sent: webhook channel ops: HTTP 500 down');
    expect(warnings).toEqual(['alerts of channel ops not sent: webhook channel ops: HTTP 500 down']);
  });

  it('tells listeners of each alert about a job once it is kept, a refused delivery too, and of none other', async () => {
    const { rules, published } = setup({ refusing: ['ops'] });
    // An alert without a job label (no Sluice rule makes one today): kept, not pushed.
    const platformWide = {
      ...failedAlert('firing', 'clicks'),
      labels: { ...failedAlert('firing', 'clicks').labels, sluice_job: '', sluice_channel: 'pager' },
    };
    await rules.receive(alertmanagerPayload([failedAlert('firing'), platformWide]));
    expect(published).toEqual([
      expect.objectContaining({
        job: 'orders',
        rule: 'orders-failed',
        delivery: expect.stringMatching(/^not sent/),
      }),
    ]);
    expect(await rules.history('orders')).toEqual(published);
  });

  it('refuses a payload version it does not read', async () => {
    const { rules } = setup();
    await expect(rules.receive({ ...alertmanagerPayload([]), version: '3' })).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { field: 'version' },
    });
  });
});
