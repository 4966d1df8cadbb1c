import type { Kysely, Selectable } from 'kysely';
import type { ProfileScheduleStore } from '../../application/ports/profiles.ts';
import type {
  NewScheduledSwitch,
  ScheduledSwitch,
  ScheduleRepeat,
  ScheduleRun,
} from '../../domain/profiles/schedule.ts';
import type { ProfileScope, ProfileScopeKind } from '../../domain/profiles/profile.ts';
import type { Database, ProfileSchedulesTable } from './schema.ts';

const fromRow = (r: Selectable<ProfileSchedulesTable>): ScheduledSwitch => ({
  id: Number(r.id),
  scope: { kind: r.scope as ProfileScopeKind, name: r.scope_name },
  profile: r.profile,
  at: r.at,
  repeat: r.repeat as ScheduleRepeat,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastRun: r.last_run ? (JSON.parse(r.last_run) as ScheduleRun) : null,
});

export class ProfileScheduleRepository implements ProfileScheduleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(scope?: ProfileScope): Promise<ScheduledSwitch[]> {
    let q = this.db.selectFrom('profile_schedules').selectAll().orderBy('id');
    if (scope !== undefined) q = q.where('scope', '=', scope.kind).where('scope_name', '=', scope.name);
    return (await q.execute()).map(fromRow);
  }

  async add(s: NewScheduledSwitch): Promise<ScheduledSwitch> {
    const row = await this.db
      .insertInto('profile_schedules')
      .values({
        scope: s.scope.kind,
        scope_name: s.scope.name,
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

  async remove(scope: ProfileScope, id: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom('profile_schedules')
      .where('scope', '=', scope.kind)
      .where('scope_name', '=', scope.name)
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

  async forgetScope(scope: ProfileScope): Promise<void> {
    await this.db
      .deleteFrom('profile_schedules')
      .where('scope', '=', scope.kind)
      .where('scope_name', '=', scope.name)
      .execute();
  }
}
