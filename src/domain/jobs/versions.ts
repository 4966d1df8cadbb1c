import { createHash } from 'node:crypto';
import { createTwoFilesPatch, diffLines } from 'diff';
import type { ArtifactRef } from '../artifacts/artifact.ts';
import type { ResubmitPolicy, RestartPolicy } from './restart-policy.ts';

/** Everything a version of a job fixes: what runs and where. Immutable once saved. */
export interface JobContent {
  description: string;
  sql: string;
  /** Flink options managed per job (never shared with another job). */
  options: Record<string, string>;
  parallelism: number;
  engineVersion: string;
  /** The deployment target: the name of a session cluster. */
  clusterName: string;
  /** Flink's restart strategy for the job, set explicitly on every deploy. */
  restartPolicy: RestartPolicy;
  /** Whether the platform submits the job again after Flink gave up on it. */
  resubmitPolicy: ResubmitPolicy;
  /** Workspace catalogs created in the job's session before its SQL runs. */
  catalogs: string[];
  /** Jars the job needs (UDFs, connectors, formats), each pinned to one version. */
  artifacts: ArtifactRef[];
}

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
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(c)))
    .digest('hex');
}

export interface VersionDiff {
  from: number;
  to: number;
  /** Unified diff of the SQL script. */
  sqlPatch: string;
  sqlLinesAdded: number;
  sqlLinesRemoved: number;
  /** Every other field that changed, with its two values. */
  changes: { field: string; from: unknown; to: unknown }[];
}

export function diffVersions(a: JobVersion, b: JobVersion): VersionDiff {
  const parts = diffLines(a.content.sql, b.content.sql);
  const changes: VersionDiff['changes'] = [];
  const fields = [
    'description',
    'parallelism',
    'engineVersion',
    'clusterName',
    'restartPolicy',
    'resubmitPolicy',
    'catalogs',
    'artifacts',
  ] as const;
  for (const f of fields)
    if (JSON.stringify(a.content[f]) !== JSON.stringify(b.content[f]))
      changes.push({ field: f, from: a.content[f], to: b.content[f] });
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
    sqlPatch: createTwoFilesPatch(
      `version ${a.number}`,
      `version ${b.number}`,
      a.content.sql,
      b.content.sql,
      '',
      '',
      { context: 3 },
    ),
    sqlLinesAdded: parts.filter((p) => p.added).reduce((n, p) => n + (p.count ?? 0), 0),
    sqlLinesRemoved: parts.filter((p) => p.removed).reduce((n, p) => n + (p.count ?? 0), 0),
    changes,
  };
}
