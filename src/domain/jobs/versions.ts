import { createHash } from 'node:crypto';
import { createTwoFilesPatch, diffLines } from 'diff';
import type { ArtifactRef } from '../artifacts/artifact.ts';
import type { ResubmitPolicy, RestartPolicy } from './restart-policy.ts';

/** What every version of a job fixes, whatever its kind: where it runs and how. */
export interface JobCommon {
  description: string;
  /** Flink options managed per job (never shared with another job). */
  options: Record<string, string>;
  parallelism: number;
  engineVersion: string;
  /** The deployment target the job runs on, by name. */
  target: string;
  /** Flink's restart strategy for the job, set explicitly on every deploy. */
  restartPolicy: RestartPolicy;
  /** Whether the platform submits the job again after Flink gave up on it. */
  resubmitPolicy: ResubmitPolicy;
}

/** A SQL job: a script run as one statement set. */
export interface SqlJobContent extends JobCommon {
  kind: 'sql';
  sql: string;
  /** Workspace catalogs created in the job's session before its SQL runs. */
  catalogs: string[];
  /** Jars the job needs (UDFs, connectors, formats), each pinned to one version. */
  artifacts: ArtifactRef[];
}

/** A JAR job: a program in an artifact, run by its entry class with arguments. */
export interface JarJobContent extends JobCommon {
  kind: 'jar';
  /** The job's program, pinned to one version. */
  jar: ArtifactRef;
  /** The class whose main runs; null: the jar's manifest names none and Flink reads it (never saved null when it does). */
  entryClass: string | null;
  args: string[];
  /** Extra artifacts on the job's classpath, each pinned to one version. */
  classpath: ArtifactRef[];
}

/** Everything a version of a job fixes: what runs and where. Immutable once saved. */
export type JobContent = SqlJobContent | JarJobContent;
export type JobKind = JobContent['kind'];

/** The script of a SQL job; a JAR job has none. */
export const sqlOf = (c: JobContent): string => (c.kind === 'sql' ? c.sql : '');

export interface JobVersion {
  jobId: string;
  number: number;
  author: string;
  message: string;
  contentHash: string;
  content: JobContent;
  createdAt: string;
}

/** A stable hash of the content: key order does not matter, values do. */
export function contentHash(c: JobContent): string {
  // A SQL content hashes as it did before job kinds existed: saving it again is no change.
  const { target, ...rest } = c;
  // The target hashes under its earlier name, so that versions saved before the rename keep their hash.
  const hashed: Record<string, unknown> = { ...rest, clusterName: target };
  if (c.kind === 'sql') delete hashed.kind;
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(hashed)))
    .digest('hex');
}

export interface VersionDiff {
  from: number;
  to: number;
  /** Unified diff of the SQL script (empty for JAR jobs, whose script is none). */
  sqlPatch: string;
  sqlLinesAdded: number;
  sqlLinesRemoved: number;
  /** Every other field that changed, with its two values. */
  changes: { field: string; from: unknown; to: unknown }[];
}

export function diffVersions(a: JobVersion, b: JobVersion): VersionDiff {
  const [sqlA, sqlB] = [sqlOf(a.content), sqlOf(b.content)];
  const parts = diffLines(sqlA, sqlB);
  const changes: VersionDiff['changes'] = [];
  const fields = [
    'kind',
    'description',
    'parallelism',
    'engineVersion',
    'target',
    'restartPolicy',
    'resubmitPolicy',
    'catalogs',
    'artifacts',
    'jar',
    'entryClass',
    'args',
    'classpath',
  ] as const;
  // A field the other kind has not is null on that side: a kind change shows every field that moved.
  const field = (c: JobContent, f: (typeof fields)[number]): unknown =>
    (c as unknown as Record<string, unknown>)[f] ?? null;
  for (const f of fields)
    if (JSON.stringify(field(a.content, f)) !== JSON.stringify(field(b.content, f)))
      changes.push({ field: f, from: field(a.content, f), to: field(b.content, f) });
  const keys = [...new Set([...Object.keys(a.content.options), ...Object.keys(b.content.options)])].sort();
  for (const k of keys)
    if (a.content.options[k] !== b.content.options[k])
      changes.push({
        field: `options.${k}`,
        from: a.content.options[k] ?? null,
        to: b.content.options[k] ?? null,
      });
  return {
    from: a.number,
    to: b.number,
    sqlPatch: createTwoFilesPatch(`version ${a.number}`, `version ${b.number}`, sqlA, sqlB, '', '', {
      context: 3,
    }),
    sqlLinesAdded: parts.filter((p) => p.added).reduce((n, p) => n + (p.count ?? 0), 0),
    sqlLinesRemoved: parts.filter((p) => p.removed).reduce((n, p) => n + (p.count ?? 0), 0),
    changes,
  };
}
