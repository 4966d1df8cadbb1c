import type { Kysely } from 'kysely';
import type { ProfileStore } from '../../application/ports/profiles.ts';
import type {
  ProfileScope,
  ProfileState,
  ProfileSwitch,
  ResourceProfile,
} from '../../domain/profiles/profile.ts';
import type { Database } from './schema.ts';

export class ProfileRepository implements ProfileStore {
  constructor(private readonly db: Kysely<Database>) {}

  async ofJob(jobId: string): Promise<ResourceProfile[]> {
    const rows = await this.db
      .selectFrom('job_profiles')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      parallelism: r.parallelism,
      options: JSON.parse(r.options) as Record<string, string>,
    }));
  }

  async saveForJob(jobId: string, p: ResourceProfile): Promise<void> {
    const row = {
      parallelism: p.parallelism,
      options: JSON.stringify(p.options),
      updated_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('job_profiles')
      .values({ job_id: jobId, name: p.name, ...row })
      .onConflict((oc) => oc.columns(['job_id', 'name']).doUpdateSet(row))
      .execute();
  }

  async removeForJob(jobId: string, name: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('job_profiles')
      .where('job_id', '=', jobId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async forgetJob(jobId: string): Promise<void> {
    await this.db.deleteFrom('job_profiles').where('job_id', '=', jobId).execute();
  }

  async ofScope(scope: ProfileScope): Promise<ProfileState> {
    const r =
      scope.kind === 'space'
        ? await this.db
            .selectFrom('space_profiles')
            .select(['active_profile', 'last_switch'])
            .where('space', '=', scope.name)
            .executeTakeFirst()
        : await this.db
            .selectFrom('target_profiles')
            .select(['active_profile', 'last_switch'])
            .where('target', '=', scope.name)
            .executeTakeFirst();
    return {
      activeProfile: r?.active_profile ?? null,
      lastSwitch: r?.last_switch ? (JSON.parse(r.last_switch) as ProfileSwitch) : null,
    };
  }

  async saveScope(scope: ProfileScope, s: ProfileState): Promise<void> {
    const row = {
      active_profile: s.activeProfile,
      last_switch: s.lastSwitch && JSON.stringify(s.lastSwitch),
      updated_at: new Date().toISOString(),
    };
    if (scope.kind === 'space')
      await this.db
        .insertInto('space_profiles')
        .values({ space: scope.name, ...row })
        .onConflict((oc) => oc.column('space').doUpdateSet(row))
        .execute();
    else
      await this.db
        .insertInto('target_profiles')
        .values({ target: scope.name, ...row })
        .onConflict((oc) => oc.column('target').doUpdateSet(row))
        .execute();
  }

  async forgetScope(scope: ProfileScope): Promise<void> {
    if (scope.kind === 'space')
      await this.db.deleteFrom('space_profiles').where('space', '=', scope.name).execute();
    else await this.db.deleteFrom('target_profiles').where('target', '=', scope.name).execute();
  }
}
