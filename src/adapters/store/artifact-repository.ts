import type { Kysely, Selectable } from 'kysely';
import { artifactRefsIn, type ArtifactUsage, type ArtifactVersion } from '../../domain/artifacts/artifact.ts';
import type { UdfFunction } from '../../domain/artifacts/functions.ts';
import type { ArtifactVersionsTable, Database } from './schema.ts';
import { requireSpace } from './new-in-space.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';
import { SluiceError } from '../../domain/errors.ts';

const toVersion = (r: Selectable<ArtifactVersionsTable>): ArtifactVersion => ({
  name: r.name,
  version: r.version,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  fileName: r.file_name,
  source: JSON.parse(r.source) as ArtifactVersion['source'],
  mainClass: r.main_class,
  author: r.author,
  createdAt: r.created_at,
});

export class ArtifactRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every version of every artifact, by name then version. */
  async all(): Promise<ArtifactVersion[]> {
    const rows = await this.db
      .selectFrom('artifact_versions')
      .selectAll()
      .orderBy('name')
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  async versions(name: string): Promise<ArtifactVersion[]> {
    const rows = await this.db
      .selectFrom('artifact_versions')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  /**
   * Adds the next version of `name` (1 for a new name). The primary key makes two concurrent
   * uploads of one name take different numbers: the loser retries with the next.
   */
  async add(v: Omit<ArtifactVersion, 'version'>, space: string = DEFAULT_SPACE): Promise<ArtifactVersion> {
    for (let attempt = 0; ; attempt++) {
      try {
        const version = await this.db.transaction().execute(async (tx) => {
          const last = await tx
            .selectFrom('artifact_versions')
            .select((eb) => [eb.fn.max('version').as('max'), eb.fn.max('space').as('space')])
            .where('name', '=', v.name)
            .executeTakeFirst();
          // A new version is in its artifact's space; a new artifact in `space`, which must be there.
          const own = last?.space ?? null;
          if (own === null) await requireSpace(tx, space);
          const next = Number(last?.max ?? 0) + 1;
          await tx
            .insertInto('artifact_versions')
            .values({
              name: v.name,
              version: next,
              space: own ?? space,
              sha256: v.sha256,
              size_bytes: v.sizeBytes,
              file_name: v.fileName,
              source: JSON.stringify(v.source),
              main_class: v.mainClass,
              functions: null,
              author: v.author,
              created_at: v.createdAt,
            })
            .execute();
          return next;
        });
        return { ...v, version };
      } catch (e) {
        // Another version of the same number was written meanwhile: try the next; a refusal is final.
        if (attempt >= 5 || e instanceof SluiceError) throw e;
      }
    }
  }

  async functions(name: string, version: number): Promise<UdfFunction[] | null> {
    const r = await this.db
      .selectFrom('artifact_versions')
      .select('functions')
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return r?.functions ? (JSON.parse(r.functions) as UdfFunction[]) : null;
  }

  async setFunctions(name: string, version: number, functions: UdfFunction[]): Promise<void> {
    await this.db
      .updateTable('artifact_versions')
      .set({ functions: JSON.stringify(functions) })
      .where('name', '=', name)
      .where('version', '=', version)
      .execute();
  }

  /** Deletes versions (all of `name` when `version` is null); returns the sha256s no version keeps any more. */
  async remove(name: string, version: number | null): Promise<string[]> {
    return this.db.transaction().execute(async (tx) => {
      let q = tx.deleteFrom('artifact_versions').where('name', '=', name);
      if (version !== null) q = q.where('version', '=', version);
      const gone = await q.returning('sha256').execute();
      const orphans: string[] = [];
      for (const sha of new Set(gone.map((g) => g.sha256))) {
        const still = await tx
          .selectFrom('artifact_versions')
          .select('name')
          .where('sha256', '=', sha)
          .executeTakeFirst();
        if (!still) orphans.push(sha);
      }
      return orphans;
    });
  }

  /**
   * The job versions that name `name` (any of its versions), read from the stored contents so that
   * every content kind is covered (a SQL job's artifacts, a JAR job's jar and classpath).
   */
  async usages(name: string): Promise<ArtifactUsage[]> {
    const rows = await this.db
      .selectFrom('job_versions')
      .innerJoin('jobs', 'jobs.id', 'job_versions.job_id')
      .select(['jobs.name as job', 'job_versions.number as jobVersion', 'job_versions.content as content'])
      // A cheap pre-filter (names have no '%'; a '_' matching more only widens it): the JSON of a
      // content that names the artifact holds the name as a string. The parse below decides.
      .where('job_versions.content', 'like', `%${JSON.stringify(name)}%`)
      .orderBy('jobs.name')
      .orderBy('job_versions.number')
      .execute();
    return rows.flatMap((r) =>
      artifactRefsIn(JSON.parse(r.content))
        .filter((ref) => ref.name === name)
        .map((ref) => ({ job: r.job, jobVersion: r.jobVersion, artifactVersion: ref.version })),
    );
  }
}
