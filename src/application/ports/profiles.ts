import type {
  ProfileScope,
  ProfileState,
  ProfileSwitch,
  ResourceProfile,
} from '../../domain/profiles/profile.ts';
import type { NewScheduledSwitch, ScheduledSwitch, ScheduleRun } from '../../domain/profiles/schedule.ts';

/**
 * Jobs' resource profiles and each space's and deployment target's active one, as the metadata store
 * keeps them.
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
  /** The scope's active profile and last switch (none active and no switch when never set). */
  ofScope(scope: ProfileScope): Promise<ProfileState>;
  saveScope(scope: ProfileScope, state: ProfileState): Promise<void>;
  forgetScope(scope: ProfileScope): Promise<void>;
}

export type { ProfileScope, ProfileState, ProfileSwitch, ResourceProfile };

/** Scheduled switches of spaces' and targets' active profiles, each with what it did the last time it was due. */
export interface ProfileScheduleStore {
  /** A scope's switches (every scope's without one), by id. */
  list(scope?: ProfileScope): Promise<ScheduledSwitch[]>;
  add(s: NewScheduledSwitch): Promise<ScheduledSwitch>;
  /** False when the scope has no switch of that id. */
  remove(scope: ProfileScope, id: number): Promise<boolean>;
  recordRun(id: number, run: ScheduleRun): Promise<void>;
  forgetScope(scope: ProfileScope): Promise<void>;
}

export type { NewScheduledSwitch, ScheduledSwitch, ScheduleRun };
