import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import { invalid, SluiceError } from '../domain/errors.ts';
import { maxParallelismIssue } from '../domain/jobs/flink-options.ts';
import { applicationResources } from '../domain/clusters/application-resources.ts';
import type { Job } from '../domain/jobs/job.ts';
import { message } from '../domain/messages.ts';
import {
  checkProfileName,
  describeScope,
  effectiveContent,
  effectiveProfile,
  parseProfile,
  profileNamed,
  spaceScope,
  targetScope,
  type ActiveProfiles,
  type ProfileScope,
  type ProfileState,
  type ProfileSwitch,
  type ResourceProfile,
  type SwitchStep,
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

/** A job's profiles, beside the profiles its space and its target have active (null: none). */
export interface JobProfiles {
  job: string;
  target: string;
  /** The profile its target has active (it runs it if it has it and its space's does not apply). */
  activeProfile: string | null;
  space: string;
  /** The profile its space has active (it runs it if it has one of that name). */
  spaceActiveProfile: string | null;
  /** The profile it runs with at its next start or upgrade, by effectiveProfile's rule (null: none). */
  effectiveProfile: string | null;
  profiles: ResourceProfile[];
}

/** A scope's active profile and last switch, and whether a switch of it is under way. */
export type ScopeProfileState = ProfileState & { switching: boolean };

/**
 * Jobs' resource profiles and the switch of a space's or a deployment target's active profile:
 * every running job of the scope that has a profile of that name moves to it through an upgrade with
 * savepoint, a few at a time. One machinery for both scopes; a job's space's active profile wins over
 * its target's (effectiveProfile in the domain).
 */
export class ProfileService {
  /** Each scope's switch under way (one at a time per scope), by `kind:name`. */
  private readonly switching = new Map<string, Promise<void>>();
  /** Saves of switch progress, in order (upgrades end in any order). */
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

  /** The active profiles bearing on the job when it runs on `target`: its space's and that target's. */
  private async activeFor(job: Job, target: string): Promise<ActiveProfiles> {
    const space = (await this.store.spaces.spaceOf('job', job.name)) ?? null;
    return {
      space: space === null ? null : (await this.profiles.ofScope(spaceScope(space))).activeProfile,
      target: (await this.profiles.ofScope(targetScope(target))).activeProfile,
    };
  }

  /** The profile the job runs with on `target` (effectiveProfile: its space's, else that target's). */
  async active(job: Job, target: string): Promise<ResourceProfile | null> {
    return effectiveProfile(await this.profiles.ofJob(job.id), await this.activeFor(job, target));
  }

  async named(job: Job, name: string): Promise<ResourceProfile | null> {
    return profileNamed(await this.profiles.ofJob(job.id), name);
  }

  async list(jobName: string): Promise<JobProfiles> {
    const job = await this.jobs.require(jobName);
    const active = await this.activeFor(job, job.target);
    const profiles = await this.profiles.ofJob(job.id);
    return {
      job: job.name,
      target: job.target,
      activeProfile: active.target,
      space: (await this.store.spaces.spaceOf('job', job.name)) ?? DEFAULT_SPACE,
      spaceActiveProfile: active.space,
      effectiveProfile: effectiveProfile(profiles, active)?.name ?? null,
      profiles,
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

  /** Answers not_found for a space or target that does not exist. */
  private async requireScope(scope: ProfileScope): Promise<void> {
    if (scope.kind === 'target') await this.targets.engineVersionOf(scope.name);
    else if (!(await this.store.spaces.space(scope.name)))
      throw new SluiceError('not_found', message('space.notFound', { space: scope.name }), {
        space: scope.name,
      });
  }

  /** The scope's active profile and its last switch, with each job's part in it. */
  async state(scope: ProfileScope): Promise<ScopeProfileState> {
    await this.requireScope(scope);
    return { ...(await this.profiles.ofScope(scope)), switching: this.switching.has(key(scope)) };
  }

  /**
   * Makes `profile` the scope's active one and moves its running jobs to it (a target's: those on it;
   * a space's: those of the space, on any target): each that has a profile of that name, and runs it
   * by effectiveProfile's rule, is upgraded with a savepoint (a submission naming the switch),
   * `concurrency` at a time; the others are listed as skipped with the reason. A failed upgrade is
   * recorded and the switch goes on. Answers once the switch is recorded; its upgrades run on
   * (`state` shows them).
   */
  async switchTo(scope: ProfileScope, profile: string, author: string): Promise<ScopeProfileState> {
    checkProfileName(profile, 'profile');
    await this.requireScope(scope);
    const before = await this.profiles.ofScope(scope);
    if (this.switching.has(key(scope)))
      throw new SluiceError(
        'conflict',
        scope.kind === 'target'
          ? message('profile.switchUnderWay', {
              target: scope.name,
              profile: before.lastSwitch?.profile ?? '?',
            })
          : message('profile.spaceSwitchUnderWay', {
              space: scope.name,
              profile: before.lastSwitch?.profile ?? '?',
            }),
        { [scope.kind]: scope.name },
      );
    const spaces = await this.store.spaces.spacesOf('job');
    const running = (await this.store.jobs.list())
      .filter(
        (j) =>
          j.state === 'RUNNING' && (scope.kind === 'target' ? j.target : spaces.get(j.name)) === scope.name,
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    const steps: SwitchStep[] = [];
    for (const j of running)
      steps.push({
        job: j.name,
        status: 'waiting',
        submission: null,
        reason: await this.skipReason(j, scope, profile),
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
    const state: ProfileState = { activeProfile: profile, lastSwitch: sw };
    await this.profiles.saveScope(scope, state);
    const recorded = structuredClone(state);
    const done = this.run(scope, state, author).finally(() => this.switching.delete(key(scope)));
    this.switching.set(key(scope), done);
    return { ...recorded, switching: true };
  }

  /** Why a running job does not take part in `scope`'s switch to `profile`; null: it does. */
  private async skipReason(job: Job, scope: ProfileScope, profile: string): Promise<string | null> {
    const profiles = await this.profiles.ofJob(job.id);
    if (!profileNamed(profiles, profile))
      return profiles.length
        ? `has no profile ${profile} (its profiles: ${profiles.map((p) => p.name).join(', ')}): it runs on as it is`
        : `has no resource profiles: it runs on with its version's settings`;
    // A target's switch does not move a job its space's active profile holds (the space's wins).
    const active = { ...(await this.activeFor(job, job.target)), [scope.kind]: profile };
    const runs = effectiveProfile(profiles, active);
    if (runs?.name !== profile)
      return `its space has profile ${runs?.name ?? '?'} active, which wins over its target's: it runs on with it`;
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

  private save(scope: ProfileScope, state: ProfileState): Promise<unknown> {
    const snapshot = structuredClone(state);
    this.saves = this.saves.then(() => this.profiles.saveScope(scope, snapshot)).catch(() => {});
    return this.saves;
  }

  /** The switch's upgrades, `concurrency` at a time, each waited for to its end. */
  private async run(scope: ProfileScope, state: ProfileState, author: string): Promise<void> {
    const sw = state.lastSwitch!;
    const queue = sw.jobs.filter((s) => s.status === 'waiting');
    // A target's switch is named by the target alone, as before spaces; a space's as `space NAME`.
    const by = scope.kind === 'target' ? scope.name : describeScope(scope);
    const worker = async () => {
      for (let step = queue.shift(); step; step = queue.shift()) {
        if (this.stopping) {
          step.status = 'skipped';
          step.reason = 'the server stopped before its turn: switch again to move it';
          await this.save(scope, state);
          continue;
        }
        step.status = 'upgrading';
        await this.save(scope, state);
        try {
          const s = await this.jobs.upgrade(
            step.job,
            { profile: sw.profile!, profileSwitch: by },
            `${author} (profile switch of ${by} to ${sw.profile})`,
          );
          step.submission = s.number;
          await this.save(scope, state);
          await this.runner.wait(s.id);
          const ended = await this.store.lifecycle.submission(s.id);
          step.status = ended?.status === 'succeeded' ? 'succeeded' : 'failed';
          if (step.status === 'failed')
            step.reason = `submission #${s.number} ${ended?.status ?? 'vanished'}: ${ended?.error ?? 'no error recorded'}`;
        } catch (e) {
          step.status = 'failed';
          step.reason = e instanceof Error ? e.message : String(e);
        }
        await this.save(scope, state);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
    sw.finishedAt = new Date().toISOString();
    await this.save(scope, state);
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

const key = (scope: ProfileScope) => `${scope.kind}:${scope.name}`;
