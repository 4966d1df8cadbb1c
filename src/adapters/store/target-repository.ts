import type { Kysely } from 'kysely';
import type { LocalClusterSpec } from '../../domain/clusters/local-cluster-spec.ts';
import type { Selectable } from 'kysely';
import type { DeploymentTargetsTable, Database } from './schema.ts';

import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';
import type {
  ClusterEvent,
  StoredTargetKind,
  StoredTargetRecord,
  TargetStore,
  RemoteClusterSpec,
} from '../../application/ports/store.ts';
import { requireSpace } from './new-in-space.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

export type { ClusterEvent, StoredTargetRecord, RemoteClusterSpec };

export class TargetRepository implements TargetStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<StoredTargetRecord[]> {
    const rows = await this.db.selectFrom('deployment_targets').selectAll().orderBy('name').execute();
    return rows.map(toRecord);
  }

  async get(name: string): Promise<StoredTargetRecord | undefined> {
    const r = await this.db
      .selectFrom('deployment_targets')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r && toRecord(r);
  }

  async save(
    spec: LocalClusterSpec | RemoteClusterSpec | KubernetesTargetSpec,
    kind: StoredTargetKind = 'local',
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    const row = { kind, engine_version: spec.engineVersion, spec: JSON.stringify(spec) };
    await this.db.transaction().execute(async (tx) => {
      const old = await tx
        .selectFrom('deployment_targets')
        .select('name')
        .where('name', '=', spec.name)
        .executeTakeFirst();
      if (!old) await requireSpace(tx, space);
      // An existing one keeps its space: the update leaves the column alone.
      await tx
        .insertInto('deployment_targets')
        .values({ name: spec.name, ...row, space, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('name').doUpdateSet(row))
        .execute();
    });
  }

  async remove(name: string): Promise<void> {
    await this.db.deleteFrom('deployment_targets').where('name', '=', name).execute();
  }

  async recordEvent(clusterName: string, processId: string, kind: string, detail: string): Promise<void> {
    await this.db
      .insertInto('cluster_events')
      .values({
        cluster_name: clusterName,
        process_id: processId,
        kind,
        detail,
        at: new Date().toISOString(),
      })
      .execute();
  }

  /** The newest `limit` events, oldest first. */
  async events(clusterName: string, limit = 100): Promise<ClusterEvent[]> {
    const rows = await this.db
      .selectFrom('cluster_events')
      .selectAll()
      .where('cluster_name', '=', clusterName)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({
      id: r.id,
      clusterName: r.cluster_name,
      processId: r.process_id,
      kind: r.kind,
      detail: r.detail,
      at: r.at,
    }));
  }
}

const toRecord = (r: Selectable<DeploymentTargetsTable>): StoredTargetRecord => {
  const base = { name: r.name, createdAt: r.created_at };
  if (r.kind === 'remote') return { ...base, kind: 'remote', spec: JSON.parse(r.spec) as RemoteClusterSpec };
  if (r.kind === 'kubernetes')
    return { ...base, kind: 'kubernetes', spec: JSON.parse(r.spec) as KubernetesTargetSpec };
  return { ...base, kind: 'local', spec: JSON.parse(r.spec) as LocalClusterSpec };
};
