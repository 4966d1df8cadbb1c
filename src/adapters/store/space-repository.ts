import type { Kysely } from 'kysely';
import {
  SPACE_KINDS,
  type Membership,
  type MembershipSource,
  type Role,
  type Space,
  type SpaceKind,
} from '../../domain/access/spaces.ts';
import { spaceScope } from '../../domain/quotas/quota.ts';
import type { Holdings, SpaceRemoval, SpaceStore } from '../../application/ports/spaces.ts';
import { requireSpace, spaceRow } from './new-in-space.ts';
import type { Database } from './schema.ts';

/** The table that keeps each kind of thing, each with a `name` and a `space` column (0026_spaces). */
const TABLE = {
  job: 'jobs',
  artifact: 'artifact_versions',
  variable: 'variables',
  catalog: 'catalogs',
  alertRule: 'alert_rules',
  target: 'deployment_targets',
} as const satisfies Record<SpaceKind, keyof Database>;

const membership = (r: { space: string; user_name: string; role: string; source: string }): Membership => ({
  space: r.space,
  user: r.user_name,
  role: r.role as Role,
  source: r.source as MembershipSource,
});

/** A membership's new row, added now. */
const memberRow = (m: Membership, source: MembershipSource) => ({
  space: m.space,
  user_name: m.user,
  role: m.role,
  added_at: new Date().toISOString(),
  source,
});

export class SpaceRepository implements SpaceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async spaces(): Promise<Space[]> {
    const rows = await this.db.selectFrom('spaces').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, createdBy: r.created_by }));
  }

  async space(name: string): Promise<Space | undefined> {
    const r = await this.db.selectFrom('spaces').selectAll().where('name', '=', name).executeTakeFirst();
    return r && { name: r.name, createdAt: r.created_at, createdBy: r.created_by };
  }

  async addSpace(s: Space): Promise<boolean> {
    const r = await this.db
      .insertInto('spaces')
      .values({ name: s.name, created_at: s.createdAt, created_by: s.createdBy })
      .onConflict((c) => c.column('name').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async removeSpace(name: string): Promise<SpaceRemoval> {
    return this.db.transaction().execute(async (tx) => {
      // Locked before what it holds is read: a thing being made in it is committed by then, and
      // one made after waits and finds no space (new-in-space.ts).
      if (!(await spaceRow(tx, name, 'update'))) return { removed: false, holds: {} };
      const holds = await holdingsIn(tx, name);
      if (Object.keys(holds).length) return { removed: false, holds };
      await tx.deleteFrom('space_members').where('space', '=', name).execute();
      // Its quota goes with it: a space of that name made later starts without one.
      await tx.deleteFrom('quotas').where('scope', '=', spaceScope(name)).execute();
      await tx.deleteFrom('spaces').where('name', '=', name).execute();
      return { removed: true, holds: {} };
    });
  }

  async fileFolders(space: string): Promise<string[] | null | undefined> {
    const r = await this.db
      .selectFrom('spaces')
      .select('file_folders')
      .where('name', '=', space)
      .executeTakeFirst();
    if (!r) return undefined;
    return r.file_folders === null ? null : (JSON.parse(r.file_folders) as string[]);
  }

  async setFileFolders(space: string, folders: readonly string[] | null): Promise<boolean> {
    // On the space's own row: a space deleted takes its folders with it.
    const r = await this.db
      .updateTable('spaces')
      .set({ file_folders: folders === null ? null : JSON.stringify(folders) })
      .where('name', '=', space)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async members(space: string): Promise<Membership[]> {
    const rows = await this.db
      .selectFrom('space_members')
      .selectAll()
      .where('space', '=', space)
      .orderBy('user_name')
      .execute();
    return rows.map(membership);
  }

  async membershipsOf(user: string): Promise<Membership[]> {
    const rows = await this.db
      .selectFrom('space_members')
      .selectAll()
      .where('user_name', '=', user)
      .orderBy('space')
      .execute();
    return rows.map(membership);
  }

  async role(space: string, user: string): Promise<Role | null> {
    const r = await this.db
      .selectFrom('space_members')
      .select('role')
      .where('space', '=', space)
      .where('user_name', '=', user)
      .executeTakeFirst();
    return (r?.role as Role | undefined) ?? null;
  }

  async setMember(m: Membership): Promise<void> {
    const source = m.source ?? 'manual';
    await this.db.transaction().execute(async (tx) => {
      // A membership of a space removed meanwhile would be a role in the next space of that name.
      await requireSpace(tx, m.space);
      await tx
        .insertInto('space_members')
        .values(memberRow(m, source))
        .onConflict((c) => c.columns(['space', 'user_name']).doUpdateSet({ role: m.role, source }))
        .execute();
    });
  }

  async setDirectoryMember(m: Membership & { source: 'ldap' | 'oidc' }): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      if (!(await spaceRow(tx, m.space, 'share'))) return false;
      // One statement, so that an owner's change between a sign-in's read and its write is kept.
      await tx
        .insertInto('space_members')
        .values(memberRow(m, m.source))
        .onConflict((c) =>
          c
            .columns(['space', 'user_name'])
            .doUpdateSet({ role: m.role })
            .where('space_members.source', '=', m.source),
        )
        .execute();
      return true;
    });
  }

  async removeDirectoryMember(space: string, user: string, source: 'ldap' | 'oidc'): Promise<boolean> {
    const r = await this.db
      .deleteFrom('space_members')
      .where('space', '=', space)
      .where('user_name', '=', user)
      .where('source', '=', source)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async removeMember(space: string, user: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('space_members')
      .where('space', '=', space)
      .where('user_name', '=', user)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async spaceOf(kind: SpaceKind, name: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom(TABLE[kind])
      .select('space')
      .where('name', '=', name)
      .limit(1)
      .executeTakeFirst();
    return r?.space;
  }

  async spacesOf(kind: SpaceKind): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom(TABLE[kind]).select(['name', 'space']).distinct().execute();
    return new Map(rows.map((r) => [r.name, r.space]));
  }

  async holdings(space: string): Promise<Holdings> {
    return holdingsIn(this.db, space);
  }
}

async function holdingsIn(db: Kysely<Database>, space: string): Promise<Holdings> {
  const out: Holdings = {};
  for (const kind of SPACE_KINDS) {
    const rows = await db
      .selectFrom(TABLE[kind])
      .select('name')
      .distinct()
      .where('space', '=', space)
      .orderBy('name')
      .execute();
    if (rows.length) out[kind] = rows.map((r) => r.name);
  }
  return out;
}
