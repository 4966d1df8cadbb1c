import { expect } from 'vitest';
import type { DebugRow } from '../../src/application/sql-debug.ts';
import type { sqlClient } from '../../src/client/sql.ts';
import type { DebugRunRequest } from '../../src/contract/sql.ts';

/** Starts a debug run through the API and collects what its SSE stream delivers until `end`. */
export async function collectDebugRun(
  sql: ReturnType<typeof sqlClient>,
  body: DebugRunRequest,
): Promise<{ id: string; rows: DebugRow[]; end: { reason: string; state: string } | null }> {
  const run = await sql.startDebug(body);
  const stream = await sql.debugResults(run.id);
  const rows: DebugRow[] = [];
  let end: { reason: string; state: string } | null = null;
  for (let f = await stream.nextFrame(); f; f = await stream.nextFrame()) {
    if (f.event === 'row') rows.push(f.data as DebugRow);
    if (f.event === 'end') end = f.data as { reason: string; state: string };
  }
  stream.close();
  return { id: run.id, rows, end };
}

/** Three clicks of two users, as a debug run's rows for its `clicks` table. */
export const CLICKS = {
  clicks: {
    rows: [
      { user_id: 1, url: '/a' },
      { user_id: 1, url: '/b' },
      { user_id: 2, url: '/a' },
    ],
  },
};

/** A per-user count over CLICKS ended by itself, with the retraction the second click makes. */
export function expectClickCounts(r: {
  rows: DebugRow[];
  end: { reason: string; state: string } | null;
}): void {
  expect(r.end).toEqual({ state: 'finished', reason: 'every query has ended' });
  expect(r.rows.map((x) => [x.kind, ...x.fields])).toEqual([
    ['+I', 1, 1],
    ['-U', 1, 1],
    ['+U', 1, 2],
    ['+I', 2, 1],
  ]);
}
