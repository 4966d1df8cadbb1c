import type { Kysely, Selectable } from 'kysely';
import type { ProfileScheduleStore } from '../../application/ports/profiles.ts';
import type {
  NewScheduledSwitch,
  ScheduledSwitch,
  ScheduleRepeat,
  ScheduleRun,
} from '../../domain/profiles/schedule.ts';
import type { Database, ProfileSchedulesTable } from './schema.ts';

const fromRow = (r: Selectable<ProfileSchedulesTable>): ScheduledSwitch => ({
  id: Number(r.id),
  target: r.target,
  profile: r.profile,
  at: r.at,
  repeat: r.repeat as ScheduleRepeat,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastRun: r.last_run ? (JSON.parse(r.last_run) as ScheduleRun) : null,
});

export class ProfileScheduleRepository implements ProfileScheduleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(target?: string): Promise<ScheduledSwitch[]> {
    let q = this.db.selectFrom('profile_schedules').selectAll().orderBy('id');
    if (target !== undefined) q = q.where('target', '=', target);
    return (await q.execute()).map(fromRow);
  }

  async add(s: NewScheduledSwitch): Promise<ScheduledSwitch> {
    const row = await this.db
      .insertInto('profile_schedules')
      .values({
        target: s.target,
        profile: s.profile,
        at: s.at,
        repeat: s.repeat,
        created_by: s.createdBy,
        created_at: s.createdAt,
        last_run: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async remove(target: string, id: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom('profile_schedules')
      .where('target', '=', target)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async recordRun(id: number, run: ScheduleRun): Promise<void> {
    await this.db
      .updateTable('profile_schedules')
      .set({ last_run: JSON.stringify(run) })
      .where('id', '=', id)
      .execute();
  }

  async forgetTarget(target: string): Promise<void> {
    await this.db.deleteFrom('profile_schedules').where('target', '=', target).execute();
  }
}
