import { notFound } from '../domain/errors.ts';
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
  QUOTA_RESOURCES,
  quotaResourcesOf,
  quotaUsage,
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

/** What a start or upgrade is checked against: the quota of its target, serialized per target. */
export class QuotaService {
  /** The tail of each target's chain of admissions: a check and its reservation run one at a time. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: MetadataStore,
    private readonly quotas: QuotaStore,
    private readonly kindOf: (target: string) => Promise<TargetKindName>,
  ) {}

  /**
   * The profile a job runs with on a target (profile-service.ts: the target's active one, if the job
   * has it): quotas count the effective settings. By default none, the version's own settings.
   */
  profileOf: (job: Job, target: string) => Promise<ResourceProfile | null> = async () => null;

  private async place(target: string): Promise<RequestPlace> {
    return targetKind(await this.kindOf(target));
  }

  /**
   * What each job holding resources on the target requests, but `except`: the version it runs (or the
   * one a start or upgrade under way deploys), if that version's target is this one.
   */
  async usage(target: string, place: RequestPlace, except: string | null = null): Promise<JobUsage[]> {
    const out: JobUsage[] = [];
    for (const j of await this.store.jobs.list()) {
      if (j.id === except || !HOLDING_STATES.includes(j.state)) continue;
      const deploying =
        j.deployedVersion === null || ['starting', 'upgrading'].includes(j.submissionInFlight ?? '');
      const saved: JobContent | undefined = deploying
        ? j
        : (await this.store.jobs.version(j.id, j.deployedVersion!))?.content;
      if (!saved || saved.target !== target) continue;
      const content = effectiveContent(saved, await this.profileOf(j, target));
      out.push({ job: j.name, request: jobRequest(place, content.parallelism, content.options) });
    }
    return out.sort((a, b) => a.job.localeCompare(b.job));
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
   * once the job's start or upgrade fits its target's ranges and quota beside the jobs holding
   * resources there. Admissions to one target run one at a time, so two starts that fit the quota only
   * one at a time never both pass. A refusal throws before `proceed`: nothing changed.
   */
  admit<T>(job: Job, kind: SubmissionKind, proceed: () => Promise<T>): Promise<T> {
    if (kind !== 'start' && kind !== 'upgrade') return proceed();
    const target = job.target;
    const turn = (this.chains.get(target) ?? Promise.resolve()).then(async () => {
      const q = await this.quotas.get(targetScope(target));
      if (q) {
        const place = await this.place(target);
        const { parallelism, options } = effectiveContent(job, await this.profileOf(job, target));
        const request = jobRequest(place, parallelism, options);
        checkJobRanges(target, q.perJob, parallelism, request);
        checkQuota(target, job.name, q.limits, request, await this.usage(target, place, job.id));
      }
      return proceed();
    });
    const tail = turn.catch(() => {});
    this.chains.set(target, tail);
    void tail.then(() => {
      if (this.chains.get(target) === tail) this.chains.delete(target);
    });
    return turn;
  }
}
