import { invalid, SluiceError } from '../domain/errors.ts';
import { maxParallelismIssue } from '../domain/jobs/flink-options.ts';
import { applicationResources } from '../domain/clusters/application-resources.ts';
import type { Job } from '../domain/jobs/job.ts';
import { message } from '../domain/messages.ts';
import {
  checkProfileName,
  effectiveContent,
  parseProfile,
  profileNamed,
  type ProfileSwitch,
  type ResourceProfile,
  type SwitchStep,
  type TargetProfileState,
} from '../domain/profiles/profile.ts';
import { targetKind } from '../domain/targets/target-kinds.ts';
import type { JobContent } from '../domain/jobs/versions.ts';
import type { JobService } from './job-service.ts';
import type { ProfileStore } from './ports/profiles.ts';
import type { MetadataStore } from './ports/store.ts';
import type { SubmissionRunner } from './submissions.ts';
import type { TargetService } from './target-service.ts';

export interface ProfileInput {
  name: string;
  parallelism: number;
  options?: Record<string, string> | undefined;
}

/** A job's profiles, beside the profile its target has active (null: none; or one the job lacks). */
export interface JobProfiles {
  job: string;
  target: string;
  activeProfile: string | null;
  profiles: ResourceProfile[];
}

/**
 * Jobs' resource profiles and the switch of a deployment target's active profile: every running job
 * of the target that has a profile of that name moves to it through an upgrade with savepoint, a few
 * at a time. The unit that switches is a target; a space takes its place once spaces exist.
 */
export class ProfileService {
  /** Each target's switch under way (one at a time per target). */
  private readonly switching = new Map<string, Promise<void>>();
  /** Saves of a target's switch progress, in order (upgrades end in any order). */
  private saves: Promise<unknown> = Promise.resolve();
  /** The server is stopping: switches under way launch no further upgrade. */
  private stopping = false;

  constructor(
    private readonly store: MetadataStore,
    private readonly profiles: ProfileStore,
    private readonly jobs: JobService,
    private readonly runner: SubmissionRunner,
    private readonly targets: TargetService,
    /** How many jobs of one switch are upgraded at once. */
    private readonly concurrency = 1,
  ) {}

  /** Refuses content beyond its target's per-job ranges (quota-service.ts); by default nothing is refused. */
  checkRanges: (content: JobContent) => Promise<void> = async () => {};

  /** The profile the job runs with on `target`: the target's active one, if the job has one of that name. */
  async active(job: Job, target: string): Promise<ResourceProfile | null> {
    const { activeProfile } = await this.profiles.ofTarget(target);
    return activeProfile === null ? null : this.named(job, activeProfile);
  }

  async named(job: Job, name: string): Promise<ResourceProfile | null> {
    return profileNamed(await this.profiles.ofJob(job.id), name);
  }

  async list(jobName: string): Promise<JobProfiles> {
    const job = await this.jobs.require(jobName);
    return {
      job: job.name,
      target: job.target,
      activeProfile: (await this.profiles.ofTarget(job.target)).activeProfile,
      profiles: await this.profiles.ofJob(job.id),
    };
  }

  /**
   * Sets (adds or replaces) a profile of the job, checked as a version's settings are: on its target
   * as it would run there (an application cluster's size, the target's per-job ranges). What runs
   * changes at the job's next start or upgrade, or the target's next switch.
   */
  async set(jobName: string, input: ProfileInput): Promise<ResourceProfile> {
    const job = await this.jobs.require(jobName);
    const profile = parseProfile(input);
    const effective = effectiveContent(job as JobContent, profile);
    // The version's maximum parallelism (its state's key groups) bounds every profile's parallelism.
    const maxProblem = maxParallelismIssue(effective.options, effective.parallelism);
    if (maxProblem) throw invalid('parallelism', maxProblem);
    if (targetKind(await this.targets.targetKindOf(job.target)).deployment === 'application-cluster')
      applicationResources(effective.parallelism, effective.options);
    await this.checkRanges(effective);
    await this.profiles.saveForJob(job.id, profile);
    return profile;
  }

  async remove(jobName: string, name: string): Promise<void> {
    const job = await this.jobs.require(jobName);
    if (!(await this.profiles.removeForJob(job.id, name)))
      throw new SluiceError('not_found', message('profile.notFound', { job: job.name, profile: name }), {
        profile: name,
      });
  }

  /** The target's active profile and its last switch, with each job's part in it. */
  async state(target: string): Promise<TargetProfileState & { switching: boolean }> {
    await this.targets.engineVersionOf(target);
    return { ...(await this.profiles.ofTarget(target)), switching: this.switching.has(target) };
  }

  /**
   * Makes `profile` the target's active one and moves its running jobs to it: each that has a profile
   * of that name is upgraded with a savepoint (a submission naming the switch), `concurrency` at a
   * time; the others are listed as skipped with the reason. A failed upgrade is recorded and the
   * switch goes on. Answers once the switch is recorded; its upgrades run on (`state` shows them).
   */
  async switchTo(
    target: string,
    profile: string,
    author: string,
  ): Promise<TargetProfileState & { switching: boolean }> {
    checkProfileName(profile, 'profile');
    await this.targets.engineVersionOf(target);
    const before = await this.profiles.ofTarget(target);
    if (this.switching.has(target))
      throw new SluiceError(
        'conflict',
        message('profile.switchUnderWay', { target, profile: before.lastSwitch?.profile ?? '?' }),
        { target },
      );
    const running = (await this.store.jobs.list())
      .filter((j) => j.target === target && j.state === 'RUNNING')
      .sort((a, b) => a.name.localeCompare(b.name));
    const steps: SwitchStep[] = [];
    for (const j of running)
      steps.push({
        job: j.name,
        status: 'waiting',
        submission: null,
        reason: await this.skipReason(j, profile),
      });
    for (const s of steps) if (s.reason) s.status = 'skipped';
    const sw: ProfileSwitch = {
      profile,
      from: before.activeProfile,
      author,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      concurrency: this.concurrency,
      jobs: steps,
    };
    const state: TargetProfileState = { target, activeProfile: profile, lastSwitch: sw };
    await this.profiles.saveTarget(state);
    const recorded = structuredClone(state);
    const done = this.run(state, author).finally(() => this.switching.delete(target));
    this.switching.set(target, done);
    return { ...recorded, switching: true };
  }

  /** Why a running job does not take part in a switch to `profile`; null: it does. */
  private async skipReason(job: Job, profile: string): Promise<string | null> {
    const profiles = await this.profiles.ofJob(job.id);
    if (!profileNamed(profiles, profile))
      return profiles.length
        ? `has no profile ${profile} (its profiles: ${profiles.map((p) => p.name).join(', ')}): it runs on as it is`
        : `has no resource profiles: it runs on with its version's settings`;
    if (job.submissionInFlight) return `a submission is under way (${job.submissionInFlight})`;
    // An upgrade deploys the saved version: a version not yet deployed is the user's to ship, not the switch's.
    if (job.deployedVersion !== job.currentVersion)
      return `version ${job.currentVersion} is saved but version ${job.deployedVersion} runs: an upgrade would deploy both changes; upgrade it yourself (it takes profile ${profile})`;
    const last = (await this.store.lifecycle.submissions(job.id))
      .filter((s) => ['start', 'upgrade', 'resubmit'].includes(s.kind) && s.status === 'succeeded')
      .at(-1);
    if (last?.params.profile === profile) return `already runs with profile ${profile}`;
    return null;
  }

  private save(state: TargetProfileState): Promise<unknown> {
    const snapshot = structuredClone(state);
    this.saves = this.saves.then(() => this.profiles.saveTarget(snapshot)).catch(() => {});
    return this.saves;
  }

  /** The switch's upgrades, `concurrency` at a time, each waited for to its end. */
  private async run(state: TargetProfileState, author: string): Promise<void> {
    const sw = state.lastSwitch!;
    const queue = sw.jobs.filter((s) => s.status === 'waiting');
    const worker = async () => {
      for (let step = queue.shift(); step; step = queue.shift()) {
        if (this.stopping) {
          step.status = 'skipped';
          step.reason = 'the server stopped before its turn: switch again to move it';
          await this.save(state);
          continue;
        }
        step.status = 'upgrading';
        await this.save(state);
        try {
          const s = await this.jobs.upgrade(
            step.job,
            { profile: sw.profile!, profileSwitch: state.target },
            `${author} (profile switch of ${state.target} to ${sw.profile})`,
          );
          step.submission = s.number;
          await this.save(state);
          await this.runner.wait(s.id);
          const ended = await this.store.lifecycle.submission(s.id);
          step.status = ended?.status === 'succeeded' ? 'succeeded' : 'failed';
          if (step.status === 'failed')
            step.reason = `submission #${s.number} ${ended?.status ?? 'vanished'}: ${ended?.error ?? 'no error recorded'}`;
        } catch (e) {
          step.status = 'failed';
          step.reason = e instanceof Error ? e.message : String(e);
        }
        await this.save(state);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
    sw.finishedAt = new Date().toISOString();
    await this.save(state);
  }

  /** Launches no further upgrade of a switch, and waits for those under way to end (shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.settled();
  }

  /** Every switch under way has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.switching.values()]);
    await this.saves;
  }
}
