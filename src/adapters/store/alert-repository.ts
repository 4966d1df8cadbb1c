import type { Kysely, Selectable } from 'kysely';
import type { AlertRule, AlertRuleKind } from '../../domain/alerts/alert-rules.ts';
import type { AlertSeverity } from '../../domain/alerts/alert-notification.ts';
import type { AlertHistoryEntry, AlertRuleStore } from '../../application/ports/alerts.ts';
import type { AlertHistoryTable, AlertRulesTable, Database } from './schema.ts';
import { requireSpace } from './new-in-space.ts';

const toRule = (r: Selectable<AlertRulesTable>): AlertRule => ({
  name: r.name,
  job: r.job,
  space: r.space,
  kind: r.kind as AlertRuleKind,
  threshold: r.threshold === null ? null : Number(r.threshold),
  for: r.for_duration,
  severity: r.severity as AlertSeverity,
  channel: r.channel,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEntry = (r: Selectable<AlertHistoryTable>): AlertHistoryEntry => ({
  fingerprint: r.fingerprint,
  rule: r.rule,
  job: r.job,
  channel: r.channel,
  delivery: r.delivery,
  receivedAt: r.received_at,
  notification: {
    status: r.status as 'firing' | 'resolved',
    severity: r.severity as AlertSeverity,
    rule: r.rule,
    job: r.job,
    summary: r.summary,
    value: r.value,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    rootCause: r.root_cause,
    link: r.link,
  },
});

/** Alert rules and the history of their alerts, in SQLite or PostgreSQL. */
export class AlertRepository implements AlertRuleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async rules(): Promise<AlertRule[]> {
    return (await this.db.selectFrom('alert_rules').selectAll().orderBy('name').execute()).map(toRule);
  }

  async rule(name: string): Promise<AlertRule | undefined> {
    const r = await this.db.selectFrom('alert_rules').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toRule(r);
  }

  async saveRule(rule: AlertRule): Promise<void> {
    const row = {
      job: rule.job,
      kind: rule.kind,
      threshold: rule.threshold,
      for_duration: rule.for,
      severity: rule.severity,
      channel: rule.channel,
      updated_at: rule.updatedAt,
    };
    await this.db.transaction().execute(async (tx) => {
      const old = await tx
        .selectFrom('alert_rules')
        .select('name')
        .where('name', '=', rule.name)
        .executeTakeFirst();
      if (!old) await requireSpace(tx, rule.space);
      // An existing one keeps its space: the update leaves the column alone.
      await tx
        .insertInto('alert_rules')
        .values({ name: rule.name, ...row, space: rule.space, created_at: rule.createdAt })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    });
  }

  async removeRule(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('alert_rules').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async recordAlert(e: AlertHistoryEntry): Promise<void> {
    const n = e.notification;
    const row = {
      rule: e.rule,
      job: e.job,
      channel: e.channel,
      status: n.status,
      severity: n.severity,
      summary: n.summary,
      value: n.value,
      ends_at: n.endsAt,
      root_cause: n.rootCause,
      link: n.link,
      delivery: e.delivery,
      received_at: e.receivedAt,
    };
    await this.db
      .insertInto('alert_history')
      .values({ fingerprint: e.fingerprint, starts_at: n.startsAt, ...row })
      .onConflict((oc) => oc.columns(['fingerprint', 'starts_at']).doUpdateSet(row))
      .execute();
  }

  async history(job: string | null, limit: number): Promise<AlertHistoryEntry[]> {
    let q = this.db.selectFrom('alert_history').selectAll();
    if (job !== null) q = q.where('job', '=', job);
    return (await q.orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toEntry);
  }
}
