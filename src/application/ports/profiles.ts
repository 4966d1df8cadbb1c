import type { ProfileSwitch, ResourceProfile, TargetProfileState } from '../../domain/profiles/profile.ts';
import type { NewScheduledSwitch, ScheduledSwitch, ScheduleRun } from '../../domain/profiles/schedule.ts';

/**
 * Jobs' resource profiles and each deployment target's active one, as the metadata store keeps them.
 * The unit that switches is a target now; a space takes its place when spaces exist.
 */
export interface ProfileStore {
  /** The job's profiles, by name. */
  ofJob(jobId: string): Promise<ResourceProfile[]>;
  /** Inserts or replaces the job's profile of that name. */
  saveForJob(jobId: string, p: ResourceProfile): Promise<void>;
  /** False when the job had no profile of that name. */
  removeForJob(jobId: string, name: string): Promise<boolean>;
  /** Every profile of the job goes with it. */
  forgetJob(jobId: string): Promise<void>;
  /** The target's active profile and last switch (none active and no switch when never set). */
  ofTarget(target: string): Promise<TargetProfileState>;
  saveTarget(state: TargetProfileState): Promise<void>;
  forgetTarget(target: string): Promise<void>;
}

export type { ProfileSwitch, ResourceProfile, TargetProfileState };

/** Scheduled switches of targets' active profiles, each with what it did the last time it was due. */
export interface ProfileScheduleStore {
  /** A target's switches (every target's without one), by id. */
  list(target?: string): Promise<ScheduledSwitch[]>;
  add(s: NewScheduledSwitch): Promise<ScheduledSwitch>;
  /** False when the target has no switch of that id. */
  remove(target: string, id: number): Promise<boolean>;
  recordRun(id: number, run: ScheduleRun): Promise<void>;
  forgetTarget(target: string): Promise<void>;
}

export type { NewScheduledSwitch, ScheduledSwitch, ScheduleRun };
