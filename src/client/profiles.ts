import { profiles as C, type ProfileInput, type ScheduleInput } from '../contract/profiles.ts';
import type { Transport } from './http.ts';

/** Jobs' resource profiles and spaces' and deployment targets' active ones. */
export const profilesClient = (t: Transport) => ({
  /** The job's profiles and its target's active one. */
  ofJob: (job: string) => t.call(C.ofJob, { params: { name: job } }),
  set: (job: string, profile: string, input: ProfileInput) =>
    t.call(C.set, { params: { name: job, profile }, body: input }),
  remove: (job: string, profile: string) => t.call(C.remove, { params: { name: job, profile } }),
  /** The target's active profile and its last switch's progress per job. */
  active: (target: string) => t.call(C.active, { params: { name: target } }),
  /** Switches the target's active profile; its upgrades run on (follow them with `active`). */
  switch: (target: string, profile: string) =>
    t.call(C.switch, { params: { name: target }, body: { profile } }),
  /** The target's scheduled switches, each with its next time and last outcome. */
  schedule: (target: string) => t.call(C.schedule, { params: { name: target } }),
  addSchedule: (target: string, input: ScheduleInput) =>
    t.call(C.addSchedule, { params: { name: target }, body: input }),
  removeSchedule: (target: string, id: number) => t.call(C.removeSchedule, { params: { name: target, id } }),
  /** The space's active profile and its last switch's progress per job. */
  spaceActive: (space: string) => t.call(C.spaceActive, { params: { name: space } }),
  /** Switches the space's active profile; its upgrades run on (follow them with `spaceActive`). */
  spaceSwitch: (space: string, profile: string) =>
    t.call(C.spaceSwitch, { params: { name: space }, body: { profile } }),
  /** The space's scheduled switches, each with its next time and last outcome. */
  spaceSchedule: (space: string) => t.call(C.spaceSchedule, { params: { name: space } }),
  addSpaceSchedule: (space: string, input: ScheduleInput) =>
    t.call(C.addSpaceSchedule, { params: { name: space }, body: input }),
  removeSpaceSchedule: (space: string, id: number) =>
    t.call(C.removeSpaceSchedule, { params: { name: space, id } }),
});
