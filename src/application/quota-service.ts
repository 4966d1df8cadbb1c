import { notFound, SluiceError } from '../domain/errors.ts';
import type { Job } from '../domain/jobs/job.ts';
import type { SubmissionKind } from '../domain/jobs/submission.ts';
import type { JobContent } from '../domain/jobs/versions.ts';
import { effectiveContent, type ResourceProfile } from '../domain/profiles/profile.ts';
import { message } from '../domain/messages.ts';
import {
  checkJobRanges,
  checkQuota,
  HOLDING_STATES,
  jobRangesOf,
  jobRequest,
  NO_LIMITS,
  NO_RANGES,
  parseQuotaInput,
  parseSpaceQuotaInput,
  QUOTA_RESOURCES,
  quotaResourcesOf,
  quotaUsage,
  spaceScope,
  targetScope,
  type JobRange,
  type JobRanges,
  type JobUsage,
  type QuotaInput,
  type QuotaLimits,
  type QuotaResource,
  type RequestPlace,
  type ResourceUsage,
} from '../domain/quotas/quota.ts';
import { targetKind, type TargetKindName } from '../domain/targets/target-kinds.ts';
import type { QuotaStore } from './ports/quotas.ts';
import type { MetadataStore } from './ports/store.ts';

/** A target's quota with what its jobs hold now. */
export interface QuotaView {
  target: string;
  scope: string;
  targetKind: TargetKindName;
  /** False: no quota is set (every limit null); usage is still counted. */
  set: boolean;
  limits: QuotaLimits;
  perJob: JobRanges;
  /** The resources a quota can limit here (what its jobs request per job), each with its usage. */
  usage: ResourceUsage[];
  /** What this kind's jobs do not request per job, so no quota limits it here. */
  notPerJob: QuotaResource[];
  /** The per-job ranges that mean something here. */
  ranges: JobRange[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A space's quota with what its jobs hold now, on every target. */
export interface SpaceQuotaView {
  space: string;
  scope: string;
  /** False: no quota is set (every limit null); usage is still counted. */
  set: boolean;
  limits: QuotaLimits;
  /** Every resource, each with its usage: a space's jobs run on targets of every kind. */
  usage: ResourceUsage[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A job holding resources, with the target and effective content of the version it holds them by. */
interface Holder {
  job: Job;
  target: string;
  content: JobContent;
}

/**
 * What a start or upgrade is checked against: the quota of its target and the quota of its space,
 * serialized per target and per space.
 */
export class QuotaService {
  /**
   * The tail of each scope's chain of admissions (by scope key): a check and its reservation run one
   * at a time per target and per space.
   */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: MetadataStore,
    private readonly quotas: QuotaStore,
    private readonly kindOf: (target: string) => Promise<TargetKindName>,
  ) {}

  /**
   * The profile a job runs with on a target (profile-service.ts, by the domain's effectiveProfile:
   * its space's active one, else that target's): quotas count the effective settings. By default none, the version's own settings.
   */
  profileOf: (job: Job, target: string) => Promise<ResourceProfile | null> = async () => null;

  private async place(target: string): Promise<RequestPlace> {
    return targetKind(await this.kindOf(target));
  }

  /**
   * Each job holding resources that `keep` keeps (by the job and the target of what it holds), but
   * `except`: with the version it runs (or the one a start or upgrade under way deploys), laid over by
   * its profile there.
   */
  private async holders(
    keep: (job: Job, target: string) => boolean,
    except: string | null,
  ): Promise<Holder[]> {
    const out: Holder[] = [];
    for (const j of await this.store.jobs.list()) {
      if (j.id === except || !HOLDING_STATES.includes(j.state)) continue;
      const deploying =
        j.deployedVersion === null || ['starting', 'upgrading'].includes(j.submissionInFlight ?? '');
      const saved: JobContent | undefined = deploying
        ? j
        : (await this.store.jobs.version(j.id, j.deployedVersion!))?.content;
      if (!saved || !keep(j, saved.target)) continue;
      const content = effectiveContent(saved, await this.profileOf(j, saved.target));
      out.push({ job: j, target: saved.target, content });
    }
    return out.sort((a, b) => a.job.name.localeCompare(b.job.name));
  }

  /**
   * What each job holding resources on the target requests, but `except`: the version it runs (or the
   * one a start or upgrade under way deploys), if that version's target is this one.
   */
  async usage(target: string, place: RequestPlace, except: string | null = null): Promise<JobUsage[]> {
    return (await this.holders((_, t) => t === target, except)).map((h) => ({
      job: h.job.name,
      request: jobRequest(place, h.content.parallelism, h.content.options),
    }));
  }

  /**
   * What each job of the space holding resources requests, on whichever target it holds them: each as
   * its own target's kind requests (a session job's slots, an application cluster's memory...).
   */
  async spaceUsage(space: string, except: string | null = null): Promise<JobUsage[]> {
    const spaces = await this.store.spaces.spacesOf('job');
    const places = new Map<string, RequestPlace>();
    const out: JobUsage[] = [];
    for (const h of await this.holders((j) => spaces.get(j.name) === space, except)) {
      const place = places.get(h.target) ?? (await this.place(h.target));
      places.set(h.target, place);
      out.push({ job: h.job.name, request: jobRequest(place, h.content.parallelism, h.content.options) });
    }
    return out;
  }

  async view(target: string): Promise<QuotaView> {
    const place = await this.place(target);
    const q = await this.quotas.get(targetScope(target));
    const limits = q?.limits ?? NO_LIMITS;
    const resources = quotaResourcesOf(place);
    return {
      target,
      scope: targetScope(target),
      targetKind: await this.kindOf(target),
      set: !!q,
      limits,
      perJob: q?.perJob ?? NO_RANGES,
      usage: quotaUsage(resources, limits, await this.usage(target, place)),
      notPerJob: QUOTA_RESOURCES.filter((r) => !resources.includes(r)),
      ranges: jobRangesOf(place),
      updatedAt: q?.updatedAt ?? null,
      updatedBy: q?.updatedBy ?? null,
    };
  }

  /** Sets the target's quota: the fields given, every other one unlimited. Bad input changes nothing. */
  async set(target: string, input: QuotaInput, author: string): Promise<QuotaView> {
    const { limits, perJob } = parseQuotaInput(target, await this.place(target), input);
    await this.quotas.save({
      scope: targetScope(target),
      limits,
      perJob,
      updatedAt: new Date().toISOString(),
      updatedBy: author,
    });
    return this.view(target);
  }

  async clear(target: string): Promise<void> {
    await this.place(target);
    if (!(await this.quotas.remove(targetScope(target))))
      throw notFound('quota', target, message('quota.none', { target }));
  }

  /** A removed target's quota goes with it (a target of that name later starts without one). */
  async forget(target: string): Promise<void> {
    await this.quotas.remove(targetScope(target));
  }

  private async existingSpace(space: string): Promise<void> {
    if (!(await this.store.spaces.space(space)))
      throw new SluiceError('not_found', message('space.notFound', { space }), { space });
  }

  async spaceView(space: string): Promise<SpaceQuotaView> {
    await this.existingSpace(space);
    const q = await this.quotas.get(spaceScope(space));
    const limits = q?.limits ?? NO_LIMITS;
    return {
      space,
      scope: spaceScope(space),
      set: !!q,
      limits,
      usage: quotaUsage([...QUOTA_RESOURCES], limits, await this.spaceUsage(space)),
      updatedAt: q?.updatedAt ?? null,
      updatedBy: q?.updatedBy ?? null,
    };
  }

  /** Sets the space's quota: the fields given, every other one unlimited. Bad input changes nothing. */
  async setSpace(space: string, input: QuotaInput, author: string): Promise<SpaceQuotaView> {
    await this.existingSpace(space);
    const limits = parseSpaceQuotaInput(space, input);
    await this.quotas.save({
      scope: spaceScope(space),
      limits,
      // The per-job ranges are a target's: a space's quota has none.
      perJob: NO_RANGES,
      updatedAt: new Date().toISOString(),
      updatedBy: author,
    });
    return this.spaceView(space);
  }

  async clearSpace(space: string): Promise<void> {
    await this.existingSpace(space);
    if (!(await this.quotas.remove(spaceScope(space))))
      throw notFound('quota', space, message('quota.spaceNone', { space }));
  }

  /** Refuses content beyond its target's per-job ranges, naming the field (a save, a start). */
  async checkRanges(content: JobContent): Promise<void> {
    const q = await this.quotas.get(targetScope(content.target));
    if (!q) return;
    const place = await this.place(content.target);
    checkJobRanges(
      content.target,
      q.perJob,
      content.parallelism,
      jobRequest(place, content.parallelism, content.options),
    );
  }

  /**
   * Runs `proceed` (which records the submission and moves the job to a state that holds resources)
   * once the job's start or upgrade fits its target's ranges and quota, and its space's quota, beside
   * the jobs holding resources there. Admissions run one at a time per target and per space, so two
   * starts that fit a quota only one at a time never both pass. A refusal throws before `proceed`:
   * nothing changed.
   */
  async admit<T>(job: Job, kind: SubmissionKind, proceed: () => Promise<T>): Promise<T> {
    if (kind !== 'start' && kind !== 'upgrade') return proceed();
    const target = job.target;
    // A job stays in its space: looked up once, before its turn.
    const space = (await this.store.spaces.spaceOf('job', job.name)) ?? null;
    // Every admission takes its scopes' turns in one order (space:... before target:...), so two
    // admissions never each hold the turn the other waits for.
    const keys = [targetScope(target), ...(space ? [spaceScope(space)] : [])].sort();
    return this.inTurn(keys, async () => {
      const q = await this.quotas.get(targetScope(target));
      const sq = space ? await this.quotas.get(spaceScope(space)) : undefined;
      if (q || sq) {
        const place = await this.place(target);
        const { parallelism, options } = effectiveContent(job, await this.profileOf(job, target));
        const request = jobRequest(place, parallelism, options);
        if (q) {
          checkJobRanges(target, q.perJob, parallelism, request);
          const usage = await this.usage(target, place, job.id);
          checkQuota({ kind: 'target', name: target }, job.name, q.limits, request, usage);
        }
        if (sq && space)
          checkQuota(
            { kind: 'space', name: space },
            job.name,
            sq.limits,
            request,
            await this.spaceUsage(space, job.id),
          );
      }
      return proceed();
    });
  }

  /** Runs `run` once it has the turn of every key, taken one after another in the order given. */
  private inTurn<T>(keys: string[], run: () => Promise<T>): Promise<T> {
    const [key, ...rest] = keys;
    if (key === undefined) return run();
    const turn = (this.chains.get(key) ?? Promise.resolve()).then(() => this.inTurn(rest, run));
    const tail = turn.catch(() => {});
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return turn;
  }
}
