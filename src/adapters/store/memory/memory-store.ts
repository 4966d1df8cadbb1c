import { randomUUID } from 'node:crypto';
import type { LocalClusterSpec } from '../../../domain/clusters/local-cluster-spec.ts';
import type { Engine } from '../../../domain/engines/engine.ts';
import type { KubernetesTargetSpec } from '../../../domain/targets/kubernetes-target.ts';
import { SluiceError } from '../../../domain/errors.ts';
import type { Job } from '../../../domain/jobs/job.ts';
import type { JobEvent, SavepointRecord, Submission } from '../../../domain/jobs/submission.ts';
import { contentHash, type JobContent, type JobVersion } from '../../../domain/jobs/versions.ts';
import { message as say } from '../../../domain/messages.ts';
import {
  sameScope,
  type ProfileScope,
  type ProfileState,
  type ResourceProfile,
} from '../../../domain/profiles/profile.ts';
import type { ProfileScheduleStore, ProfileStore } from '../../../application/ports/profiles.ts';
import type { NewScheduledSwitch, ScheduledSwitch, ScheduleRun } from '../../../domain/profiles/schedule.ts';
import type { Holdings, SpaceRemoval, SpaceStore } from '../../../application/ports/spaces.ts';
import {
  DEFAULT_SPACE,
  SPACE_KINDS,
  type Membership,
  type Role,
  type Space,
  type SpaceKind,
} from '../../../domain/access/spaces.ts';
import type { CatalogDefinition } from '../../../domain/workspace/catalogs.ts';
import type { RunGraphShape } from '../../../domain/metrics/job-graph.ts';
import type {
  ClusterEvent,
  StoredTargetKind,
  StoredTargetRecord,
  TargetStore,
  EngineStore,
  JobStore,
  KeptRunGraph,
  LifecycleStore,
  MetadataStore,
  RemoteClusterSpec,
  RuntimePatch,
  StoredVariable,
  SubmissionPatch,
  NewSubmission,
  WorkspaceStore,
} from '../../../application/ports/store.ts';

/** Every value goes in and out as a copy, as it would through a database: callers never share state. */
const copy = <T>(v: T): T => structuredClone(v);
const now = () => new Date().toISOString();
/** Job states the tracker no longer watches. */
const FINAL = ['CREATED', 'FINISHED', 'STOPPED', 'FAILED', 'CANCELLED'];

/**
 * The metadata store in memory: the same port as the SQLite/PostgreSQL store, for unit tests of the
 * lifecycle that run in milliseconds. Nothing survives the process.
 */
export class MemoryStore implements MetadataStore {
  readonly dialect = 'memory';
  readonly engines = new MemoryEngines();
  // What is made lands in its space as the databases write it, in the same step (spaces come later).
  readonly targets = new MemoryClusters((name, space) => this.spaces.placeNew('target', name, space));
  readonly jobs = new MemoryJobs((name, space) => this.spaces.placeNew('job', name, space));
  readonly lifecycle = new MemoryLifecycle(this.jobs);
  readonly workspace = new MemoryWorkspace(this.jobs, (kind, name, space) =>
    this.spaces.placeNew(kind, name, space),
  );
  readonly profiles = new MemoryProfiles(this.jobs);
  readonly profileSchedules = new MemoryProfileSchedules();
  readonly spaces = new MemorySpaces(this);

  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

class MemoryEngines implements EngineStore {
  private readonly rows = new Map<string, Engine>();

  async list(): Promise<Engine[]> {
    return [...this.rows.values()].sort((a, b) => a.version.localeCompare(b.version)).map(copy);
  }
  async get(version: string): Promise<Engine | undefined> {
    const e = this.rows.get(version);
    return e && copy(e);
  }
  async getDefault(): Promise<Engine | undefined> {
    const e = [...this.rows.values()].find((r) => r.isDefault);
    return e && copy(e);
  }
  async save(e: Omit<Engine, 'isDefault'>): Promise<Engine> {
    const hasDefault = [...this.rows.values()].some((r) => r.isDefault && r.version !== e.version);
    const before = this.rows.get(e.version);
    const row: Engine = { ...copy(e), isDefault: before?.isDefault ?? !hasDefault };
    this.rows.set(e.version, row);
    return copy(row);
  }
  async setDefault(version: string): Promise<void> {
    for (const r of this.rows.values()) r.isDefault = r.version === version;
  }
  async remove(version: string): Promise<void> {
    this.rows.delete(version);
  }
}

class MemoryClusters implements TargetStore {
  private readonly rows = new Map<string, StoredTargetRecord>();
  private readonly log: ClusterEvent[] = [];

  constructor(private readonly placeNew: (name: string, space: string) => void) {}

  /** Synchronous, for a space's removal to check and remove in one step. */
  names(): string[] {
    return [...this.rows.keys()];
  }
  async list(): Promise<StoredTargetRecord[]> {
    return [...this.rows.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }
  async get(name: string): Promise<StoredTargetRecord | undefined> {
    const r = this.rows.get(name);
    return r && copy(r);
  }
  async save(
    spec: LocalClusterSpec | RemoteClusterSpec | KubernetesTargetSpec,
    kind: StoredTargetKind = 'local',
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    if (!this.rows.has(spec.name)) this.placeNew(spec.name, space);
    const createdAt = this.rows.get(spec.name)?.createdAt ?? now();
    this.rows.set(spec.name, { name: spec.name, kind, spec: copy(spec), createdAt } as StoredTargetRecord);
  }
  async remove(name: string): Promise<void> {
    this.rows.delete(name);
  }
  async recordEvent(clusterName: string, processId: string, kind: string, detail: string): Promise<void> {
    this.log.push({ id: this.log.length + 1, clusterName, processId, kind, detail, at: now() });
  }
  async events(clusterName: string, limit = 50): Promise<ClusterEvent[]> {
    return this.log
      .filter((e) => e.clusterName === clusterName)
      .slice(-limit)
      .map(copy);
  }
}

class MemoryJobs implements JobStore {
  readonly rows = new Map<string, Job>();
  readonly versionRows: JobVersion[] = [];
  /** Called when a job is removed: the lifecycle forgets its records too. */
  onRemove: (id: string) => void = () => {};

  constructor(private readonly placeNew: (name: string, space: string) => void) {}

  async create(
    name: string,
    content: JobContent,
    author: string,
    message: string,
    space: string = DEFAULT_SPACE,
  ): Promise<Job> {
    if ([...this.rows.values()].some((j) => j.name === name))
      throw new Error(`UNIQUE constraint failed: jobs.name (${name})`);
    this.placeNew(name, space);
    const at = now();
    const job: Job = {
      ...copy(content),
      id: randomUUID(),
      name,
      flinkJobId: null,
      currentVersion: 1,
      deployedVersion: null,
      state: 'CREATED',
      stateReason: null,
      stateReasonMessage: null,
      stateSince: at,
      lastKnownState: null,
      desiredState: 'stopped',
      submissionInFlight: null,
      resubmissions: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.rows.set(job.id, job);
    this.addVersion(job.id, 1, content, author, message, at);
    return copy(job);
  }

  async saveVersion(
    jobId: string,
    baseVersion: number,
    content: JobContent,
    author: string,
    message: string,
  ): Promise<JobVersion> {
    const job = this.rows.get(jobId);
    if (!job || job.currentVersion !== baseVersion)
      throw new SluiceError(
        'conflict',
        say('job.changedSince', { base: baseVersion, current: job?.currentVersion ?? '?' }),
        { baseVersion, currentVersion: job?.currentVersion ?? null },
      );
    const at = now();
    // The row holds the fields of its content's kind only, as the SQL store's row does.
    for (const k of ['sql', 'catalogs', 'artifacts', 'jar', 'entryClass', 'args', 'classpath'])
      delete (job as unknown as Record<string, unknown>)[k];
    Object.assign(job, copy(content), { currentVersion: baseVersion + 1, updatedAt: at });
    return this.addVersion(jobId, baseVersion + 1, content, author, message, at);
  }

  private addVersion(
    jobId: string,
    number: number,
    content: JobContent,
    author: string,
    message: string,
    createdAt: string,
  ): JobVersion {
    const v: JobVersion = {
      jobId,
      number,
      author,
      message,
      contentHash: contentHash(content),
      content: copy(content),
      createdAt,
    };
    this.versionRows.push(v);
    return copy(v);
  }

  async versions(jobId: string): Promise<JobVersion[]> {
    return this.versionRows
      .filter((v) => v.jobId === jobId)
      .sort((a, b) => a.number - b.number)
      .map(copy);
  }
  async version(jobId: string, n: number): Promise<JobVersion | undefined> {
    const v = this.versionRows.find((r) => r.jobId === jobId && r.number === n);
    return v && copy(v);
  }
  async getByName(name: string): Promise<Job | undefined> {
    const j = [...this.rows.values()].find((r) => r.name === name);
    return j && copy(j);
  }
  async getById(id: string): Promise<Job | undefined> {
    const j = this.rows.get(id);
    return j && copy(j);
  }
  async list(): Promise<Job[]> {
    return [...this.rows.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }
  async tracked(): Promise<Job[]> {
    return [...this.rows.values()]
      .filter((j) => j.flinkJobId !== null && !FINAL.includes(j.state))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(copy);
  }
  async updateRuntime(id: string, patch: RuntimePatch): Promise<void> {
    const job = this.rows.get(id);
    if (!job) return;
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    Object.assign(job, copy(set), { updatedAt: now() });
  }
  async remove(id: string): Promise<void> {
    this.rows.delete(id);
    for (let i = this.versionRows.length - 1; i >= 0; i--)
      if (this.versionRows[i]!.jobId === id) this.versionRows.splice(i, 1);
    this.onRemove(id);
  }
}

class MemoryLifecycle implements LifecycleStore {
  private readonly subs: Submission[] = [];
  private readonly eventRows: JobEvent[] = [];
  private readonly savepointRows: SavepointRecord[] = [];
  private readonly runGraphRows: KeptRunGraph[] = [];

  constructor(jobs: MemoryJobs) {
    const before = jobs.onRemove;
    jobs.onRemove = (id) => {
      before(id);
      for (const rows of [this.subs, this.eventRows, this.savepointRows, this.runGraphRows] as {
        jobId: string;
      }[][])
        for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.jobId === id) rows.splice(i, 1);
    };
  }

  async createSubmission(s: NewSubmission): Promise<Submission> {
    const number = Math.max(0, ...this.subs.filter((x) => x.jobId === s.jobId).map((x) => x.number)) + 1;
    const sub: Submission = {
      ...copy(s),
      uploadedJarId: null,
      id: randomUUID(),
      number,
      createdAt: now(),
      finishedAt: null,
    };
    this.subs.push(sub);
    return copy(sub);
  }
  async updateSubmission(id: string, patch: SubmissionPatch): Promise<void> {
    const sub = this.subs.find((s) => s.id === id);
    if (!sub) return;
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    Object.assign(sub, copy(set));
  }
  async submission(id: string): Promise<Submission | undefined> {
    const s = this.subs.find((x) => x.id === id);
    return s && copy(s);
  }
  async submissionByNumber(jobId: string, n: number): Promise<Submission | undefined> {
    const s = this.subs.find((x) => x.jobId === jobId && x.number === n);
    return s && copy(s);
  }
  async submissions(jobId: string): Promise<Submission[]> {
    return this.subs
      .filter((s) => s.jobId === jobId)
      .sort((a, b) => a.number - b.number)
      .map(copy);
  }
  async runningSubmissions(): Promise<Submission[]> {
    return this.subs.filter((s) => s.status === 'running').map(copy);
  }
  async addEvent(e: Omit<JobEvent, 'id' | 'at'>): Promise<JobEvent> {
    const event: JobEvent = { ...copy(e), id: this.eventRows.length + 1, at: now() };
    this.eventRows.push(event);
    return copy(event);
  }
  async events(jobId: string): Promise<JobEvent[]> {
    return this.eventRows.filter((e) => e.jobId === jobId).map(copy);
  }
  async addSavepoint(s: Omit<SavepointRecord, 'id' | 'createdAt'>): Promise<SavepointRecord> {
    const record: SavepointRecord = { ...copy(s), id: randomUUID(), createdAt: now() };
    this.savepointRows.push(record);
    return copy(record);
  }
  async savepoints(jobId: string): Promise<SavepointRecord[]> {
    // Newest first; records made within the same millisecond keep their order of arrival.
    return this.savepointRows
      .filter((s) => s.jobId === jobId)
      .reverse()
      .map(copy);
  }
  async removeSavepoint(id: string): Promise<void> {
    const i = this.savepointRows.findIndex((s) => s.id === id);
    if (i >= 0) this.savepointRows.splice(i, 1);
  }
  async keepRunGraph(jobId: string, flinkJobId: string, shape: RunGraphShape): Promise<void> {
    const i = this.runGraphRows.findIndex((r) => r.flinkJobId === flinkJobId);
    if (i >= 0) this.runGraphRows.splice(i, 1);
    this.runGraphRows.push({ jobId, flinkJobId, shape: copy(shape), keptAt: now() });
  }
  async runGraph(flinkJobId: string): Promise<KeptRunGraph | undefined> {
    const r = this.runGraphRows.find((x) => x.flinkJobId === flinkJobId);
    return r && copy(r);
  }
}

class MemoryWorkspace implements WorkspaceStore {
  private readonly vars = new Map<string, StoredVariable>();
  private readonly cats = new Map<string, CatalogDefinition>();

  constructor(
    private readonly jobs: MemoryJobs,
    private readonly placeNew: (kind: 'variable' | 'catalog', name: string, space: string) => void,
  ) {}

  /** Synchronous, for a space's removal to check and remove in one step. */
  names(kind: 'variable' | 'catalog'): string[] {
    return [...(kind === 'variable' ? this.vars : this.cats).keys()];
  }
  async variables(): Promise<StoredVariable[]> {
    return [...this.vars.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }
  async variable(name: string): Promise<StoredVariable | undefined> {
    const v = this.vars.get(name);
    return v && copy(v);
  }
  async saveVariable(
    v: Omit<StoredVariable, 'createdAt' | 'updatedAt'>,
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    if (!this.vars.has(v.name)) this.placeNew('variable', v.name, space);
    const at = now();
    this.vars.set(v.name, { ...copy(v), createdAt: this.vars.get(v.name)?.createdAt ?? at, updatedAt: at });
  }
  async deleteVariable(name: string): Promise<boolean> {
    return this.vars.delete(name);
  }
  async catalogs(): Promise<CatalogDefinition[]> {
    return [...this.cats.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }
  async catalog(name: string): Promise<CatalogDefinition | undefined> {
    const c = this.cats.get(name);
    return c && copy(c);
  }
  async saveCatalog(
    c: Omit<CatalogDefinition, 'createdAt' | 'updatedAt'>,
    space: string = DEFAULT_SPACE,
  ): Promise<void> {
    if (!this.cats.has(c.name)) this.placeNew('catalog', c.name, space);
    const at = now();
    this.cats.set(c.name, { ...copy(c), createdAt: this.cats.get(c.name)?.createdAt ?? at, updatedAt: at });
  }
  async deleteCatalog(name: string): Promise<boolean> {
    return this.cats.delete(name);
  }
  async jobsUsingCatalog(name: string): Promise<string[]> {
    return [...this.jobs.rows.values()]
      .filter((j) => j.kind === 'sql' && j.catalogs.includes(name))
      .map((j) => j.name);
  }
}

/** Jobs' profiles and targets' active ones, in maps; a job's profiles go with it. */
export class MemoryProfiles implements ProfileStore {
  private readonly jobRows = new Map<string, Map<string, ResourceProfile>>();
  /** By `kind:name`. */
  private readonly scopeRows = new Map<string, ProfileState>();

  constructor(jobs: MemoryJobs) {
    const before = jobs.onRemove;
    jobs.onRemove = (id) => {
      before(id);
      this.jobRows.delete(id);
    };
  }

  async ofJob(jobId: string): Promise<ResourceProfile[]> {
    return [...(this.jobRows.get(jobId)?.values() ?? [])]
      .map(copy)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  async saveForJob(jobId: string, p: ResourceProfile): Promise<void> {
    const rows = this.jobRows.get(jobId) ?? new Map<string, ResourceProfile>();
    rows.set(p.name, copy(p));
    this.jobRows.set(jobId, rows);
  }
  async removeForJob(jobId: string, name: string): Promise<boolean> {
    return this.jobRows.get(jobId)?.delete(name) ?? false;
  }
  async forgetJob(jobId: string): Promise<void> {
    this.jobRows.delete(jobId);
  }
  async ofScope(scope: ProfileScope): Promise<ProfileState> {
    return copy(
      this.scopeRows.get(`${scope.kind}:${scope.name}`) ?? { activeProfile: null, lastSwitch: null },
    );
  }
  async saveScope(scope: ProfileScope, s: ProfileState): Promise<void> {
    this.scopeRows.set(
      `${scope.kind}:${scope.name}`,
      copy({ activeProfile: s.activeProfile, lastSwitch: s.lastSwitch }),
    );
  }
  async forgetScope(scope: ProfileScope): Promise<void> {
    this.scopeRows.delete(`${scope.kind}:${scope.name}`);
  }
}

/** Scheduled profile switches in a map, numbered as the database numbers them. */
export class MemoryProfileSchedules implements ProfileScheduleStore {
  private readonly rows = new Map<number, ScheduledSwitch>();
  private lastId = 0;

  async list(scope?: ProfileScope): Promise<ScheduledSwitch[]> {
    return [...this.rows.values()]
      .filter((s) => scope === undefined || sameScope(s.scope, scope))
      .sort((a, b) => a.id - b.id)
      .map(copy);
  }
  async add(s: NewScheduledSwitch): Promise<ScheduledSwitch> {
    const row: ScheduledSwitch = { ...copy(s), id: ++this.lastId, lastRun: null };
    this.rows.set(row.id, row);
    return copy(row);
  }
  async remove(scope: ProfileScope, id: number): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || !sameScope(row.scope, scope)) return false;
    return this.rows.delete(id);
  }
  async recordRun(id: number, run: ScheduleRun): Promise<void> {
    const row = this.rows.get(id);
    if (row) row.lastRun = copy(run);
  }
  async forgetScope(scope: ProfileScope): Promise<void> {
    for (const [id, s] of this.rows) if (sameScope(s.scope, scope)) this.rows.delete(id);
  }
}

/**
 * Spaces in memory. What the memory store keeps itself (jobs, targets, variables, catalogs) is in the
 * space it was made in; artifacts and alert rules have no memory repository here, so they are in none.
 */
class MemorySpaces implements SpaceStore {
  private readonly rows = new Map<string, Space>([
    [DEFAULT_SPACE, { name: DEFAULT_SPACE, createdAt: now(), createdBy: 'migration' }],
  ]);
  private readonly memberRows = new Map<string, Membership>();
  private readonly folderRows = new Map<string, string[]>();
  private readonly placed = new Map<SpaceKind, Map<string, string>>(SPACE_KINDS.map((k) => [k, new Map()]));

  constructor(private readonly store: MemoryStore) {}

  private async exists(kind: SpaceKind, name: string): Promise<boolean> {
    if (kind === 'job') return !!(await this.store.jobs.getByName(name));
    if (kind === 'target') return !!(await this.store.targets.get(name));
    if (kind === 'variable') return !!(await this.store.workspace.variable(name));
    if (kind === 'catalog') return !!(await this.store.workspace.catalog(name));
    return this.placed.get(kind)!.has(name);
  }
  /** Synchronous: a removal checks what a space holds and removes it with no making in between. */
  private names(kind: SpaceKind): string[] {
    if (kind === 'job') return [...this.store.jobs.rows.values()].map((j) => j.name);
    if (kind === 'target') return this.store.targets.names();
    if (kind === 'variable' || kind === 'catalog') return this.store.workspace.names(kind);
    return [...this.placed.get(kind)!.keys()];
  }
  private spacesNow(kind: SpaceKind): Map<string, string> {
    const placed = this.placed.get(kind)!;
    return new Map(this.names(kind).map((n) => [n, placed.get(n) ?? DEFAULT_SPACE]));
  }
  private holdingsNow(space: string): Holdings {
    const out: Holdings = {};
    for (const kind of SPACE_KINDS) {
      const names = [...this.spacesNow(kind)]
        .filter(([, s]) => s === space)
        .map(([n]) => n)
        .sort();
      if (names.length) out[kind] = names;
    }
    return out;
  }

  async spaces(): Promise<Space[]> {
    return [...this.rows.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }
  async space(name: string): Promise<Space | undefined> {
    const s = this.rows.get(name);
    return s && copy(s);
  }
  async addSpace(s: Space): Promise<boolean> {
    if (this.rows.has(s.name)) return false;
    this.rows.set(s.name, copy(s));
    return true;
  }
  async removeSpace(name: string): Promise<SpaceRemoval> {
    if (!this.rows.has(name)) return { removed: false, holds: {} };
    const holds = this.holdingsNow(name);
    if (Object.keys(holds).length) return { removed: false, holds };
    for (const [k, m] of this.memberRows) if (m.space === name) this.memberRows.delete(k);
    this.folderRows.delete(name);
    this.rows.delete(name);
    return { removed: true, holds: {} };
  }
  async fileFolders(space: string): Promise<string[] | null | undefined> {
    if (!this.rows.has(space)) return undefined;
    const f = this.folderRows.get(space);
    return f ? [...f] : null;
  }
  async setFileFolders(space: string, folders: readonly string[] | null): Promise<boolean> {
    if (!this.rows.has(space)) return false;
    if (folders === null) this.folderRows.delete(space);
    else this.folderRows.set(space, [...folders]);
    return true;
  }
  async members(space: string): Promise<Membership[]> {
    return [...this.memberRows.values()]
      .filter((m) => m.space === space)
      .sort((a, b) => a.user.localeCompare(b.user))
      .map(copy);
  }
  async membershipsOf(user: string): Promise<Membership[]> {
    return [...this.memberRows.values()]
      .filter((m) => m.user === user)
      .sort((a, b) => a.space.localeCompare(b.space))
      .map(copy);
  }
  async role(space: string, user: string): Promise<Role | null> {
    return this.memberRows.get(`${space}\n${user}`)?.role ?? null;
  }
  async setMember(m: Membership): Promise<void> {
    if (!this.rows.has(m.space))
      throw new SluiceError('not_found', say('space.notFound', { space: m.space }), { space: m.space });
    this.memberRows.set(`${m.space}\n${m.user}`, { ...copy(m), source: m.source ?? 'manual' });
  }
  async setDirectoryMember(m: Membership & { source: 'ldap' | 'oidc' }): Promise<boolean> {
    if (!this.rows.has(m.space)) return false;
    const held = this.memberRows.get(`${m.space}\n${m.user}`);
    if (!held || held.source === m.source) this.memberRows.set(`${m.space}\n${m.user}`, copy(m));
    return true;
  }
  async removeDirectoryMember(space: string, user: string, source: 'ldap' | 'oidc'): Promise<boolean> {
    if (this.memberRows.get(`${space}\n${user}`)?.source !== source) return false;
    return this.memberRows.delete(`${space}\n${user}`);
  }
  async removeMember(space: string, user: string): Promise<boolean> {
    return this.memberRows.delete(`${space}\n${user}`);
  }
  async spaceOf(kind: SpaceKind, name: string): Promise<string | undefined> {
    if (!(await this.exists(kind, name))) return undefined;
    return this.placed.get(kind)!.get(name) ?? DEFAULT_SPACE;
  }
  async spacesOf(kind: SpaceKind): Promise<Map<string, string>> {
    return this.spacesNow(kind);
  }
  /** A new thing's space, before it is written: a space that is not there refuses it, as the databases do. */
  placeNew(kind: SpaceKind, name: string, space: string): void {
    if (!this.rows.has(space))
      throw new SluiceError('not_found', say('space.notFound', { space }), { space });
    this.placed.get(kind)!.set(name, space);
  }
  /** Moves a thing to another space: a test's scene only, the platform has no such move. */
  async move(kind: SpaceKind, name: string, space: string): Promise<void> {
    if (await this.exists(kind, name)) this.placeNew(kind, name, space);
  }
  async holdings(space: string): Promise<Holdings> {
    return this.holdingsNow(space);
  }
}
