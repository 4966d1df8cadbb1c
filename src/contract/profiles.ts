import { Type, type Static } from 'typebox';
import { errors, Name, NameParams, StringMap } from './common.ts';
import { operation } from './operation.ts';
import { SpaceNameSchema } from './spaces.ts';
import { SWITCH_STEP_STATUSES, type SwitchStepStatus } from '../domain/profiles/profile.ts';
import {
  SCHEDULE_OUTCOMES,
  SCHEDULE_REPEATS,
  type ScheduleOutcome,
  type ScheduleRepeat,
} from '../domain/profiles/schedule.ts';

/**
 * Resource profiles: a job's named overlays (normal, peak), and the active one of a space and of a
 * deployment target. A job runs its space's active profile if it has it, else its target's.
 */

const tags = ['profiles'];
const ProfileName = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'a profile name: lowercase letters, digits and -, such as normal or peak',
});
const ProfileParams = Type.Object({ name: Name, profile: ProfileName });
const SpaceParams = Type.Object({ name: SpaceNameSchema });
const ScheduleIdParams = (name: typeof Name | typeof SpaceNameSchema) =>
  Type.Object({ name, id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

const ProfileBody = Type.Object({
  name: Type.String(),
  parallelism: Type.Integer(),
  options: Type.Record(Type.String(), Type.String()),
});

const ProfileInputBody = Type.Object(
  {
    parallelism: Type.Integer({
      minimum: 1,
      maximum: 1024,
      description: "the job's parallelism in this profile",
    }),
    options: Type.Optional(
      StringMap({
        description:
          "Flink options laid over the version's: TaskManager resources by their Flink keys (taskmanager.memory.process.size, taskmanager.numberOfTaskSlots, kubernetes.taskmanager.cpu) and any other",
      }),
    ),
  },
  { additionalProperties: false },
);

const JobProfilesBody = Type.Object({
  job: Type.String(),
  target: Type.String(),
  activeProfile: Type.Union([Type.String(), Type.Null()], {
    description:
      "the profile the job's target has active (the job runs it if it has one of that name and its space's does not apply)",
  }),
  space: Type.String(),
  spaceActiveProfile: Type.Union([Type.String(), Type.Null()], {
    description: "the profile the job's space has active (the job runs it if it has one of that name)",
  }),
  effectiveProfile: Type.Union([Type.String(), Type.Null()], {
    description:
      "the profile the job runs at its next start or upgrade: its space's active one if it has it, else its target's, else none (its version's settings)",
  }),
  profiles: Type.Array(ProfileBody),
});

const SwitchStepBody = Type.Object({
  job: Type.String(),
  status: Type.Unsafe<SwitchStepStatus>(Type.Union(SWITCH_STEP_STATUSES.map((s) => Type.Literal(s)))),
  submission: Type.Union([Type.Integer(), Type.Null()], { description: "the upgrade's submission number" }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it was skipped or failed' }),
});

const ProfileStateFields = {
  activeProfile: Type.Union([Type.String(), Type.Null()]),
  switching: Type.Boolean({ description: 'a switch is under way' }),
  lastSwitch: Type.Union([
    Type.Object({
      profile: Type.Union([Type.String(), Type.Null()]),
      from: Type.Union([Type.String(), Type.Null()]),
      author: Type.String(),
      startedAt: Type.String(),
      finishedAt: Type.Union([Type.String(), Type.Null()]),
      concurrency: Type.Integer(),
      jobs: Type.Array(SwitchStepBody),
    }),
    Type.Null(),
  ]),
};
const TargetProfileBody = Type.Object({ target: Type.String(), ...ProfileStateFields });
const SpaceProfileBody = Type.Object({ space: Type.String(), ...ProfileStateFields });

const Repeat = (description: string) =>
  Type.Unsafe<ScheduleRepeat>(Type.String({ maxLength: 16, description }));

const ScheduleFields = {
  id: Type.Integer(),
  profile: Type.String(),
  at: Type.String({ description: 'its (first) time as given, with its offset' }),
  repeat: Repeat(SCHEDULE_REPEATS.join(', ')),
  createdBy: Type.String(),
  createdAt: Type.String(),
  nextAt: Type.Union([Type.String(), Type.Null()], {
    description: 'when it is next due (UTC); null: it ran once and is done',
  }),
  lastRun: Type.Union([
    Type.Object({
      due: Type.String({ description: 'the occurrence it ran for (UTC)' }),
      at: Type.String({ description: 'when the scheduler acted on it' }),
      outcome: Type.Unsafe<ScheduleOutcome>(Type.Union(SCHEDULE_OUTCOMES.map((o) => Type.Literal(o)))),
      reason: Type.Union([Type.String(), Type.Null()], {
        description: 'what the switch did, or why it was refused, skipped or missed',
      }),
    }),
    Type.Null(),
  ]),
};
const ScheduledSwitchBody = Type.Object({ target: Type.String(), ...ScheduleFields });
const SpaceScheduledSwitchBody = Type.Object({ space: Type.String(), ...ScheduleFields });

const ScheduleInputBody = Type.Object(
  {
    profile: ProfileName,
    at: Type.String({
      maxLength: 64,
      description:
        'when: ISO 8601 with its offset (Z or ±hh:mm), such as 2026-11-10T23:00:00+08:00; in the future unless it repeats',
    }),
    repeat: Type.Optional(
      Repeat(
        'none (once, the default), daily or weekly: every 24 h or 7 × 24 h from `at` (a UTC instant: no daylight-saving shift)',
      ),
    ),
  },
  { additionalProperties: false },
);

export const profiles = {
  ofJob: operation('GET', '/jobs/:name/profiles', {
    tags,
    summary: "A job's resource profiles, and the profile its target has active; 404: no such job",
    params: NameParams,
    response: { 200: JobProfilesBody, ...errors },
  }),
  set: operation('PUT', '/jobs/:name/profiles/:profile', {
    tags,
    summary:
      "Add or replace a job's resource profile (parallelism and Flink options laid over its version's); checked as a version's settings are, on its target; what runs changes at its next start or upgrade or its target's next switch",
    params: ProfileParams,
    body: ProfileInputBody,
    response: { 200: ProfileBody, ...errors },
  }),
  remove: operation('DELETE', '/jobs/:name/profiles/:profile', {
    tags,
    summary: "Remove a job's resource profile; 404: the job has none of that name",
    params: ProfileParams,
    response: { 200: Type.Object({ removed: Type.String() }), ...errors },
  }),
  active: operation('GET', '/targets/:name/active-profile', {
    tags,
    summary: "A deployment target's active resource profile and its last switch, each job's part in it",
    params: NameParams,
    response: { 200: TargetProfileBody, ...errors },
  }),
  switch: operation('PUT', '/targets/:name/active-profile', {
    tags,
    summary:
      "Switch a deployment target's active resource profile: every RUNNING job on it with a profile of that name is upgraded with a savepoint, one at a time (SLUICE_PROFILE_SWITCH_CONCURRENCY), each a submission of the job; the others are skipped with the reason; jobs started later start with it. Answers once recorded (202); GET shows the progress. 409: a switch is under way",
    params: NameParams,
    body: Type.Object({ profile: ProfileName }, { additionalProperties: false }),
    response: { 202: TargetProfileBody, ...errors },
  }),
  schedule: operation('GET', '/targets/:name/profile-schedule', {
    tags,
    summary:
      "A deployment target's scheduled profile switches: each one's next time and what it did the last time it was due",
    params: NameParams,
    response: { 200: Type.Array(ScheduledSwitchBody), ...errors },
  }),
  addSchedule: operation('POST', '/targets/:name/profile-schedule', {
    tags,
    summary:
      "Schedule a switch of a deployment target's active profile, once or daily or weekly: at its time the scheduler switches as PUT active-profile does (author `scheduler (switch <id>)`). Refused (400, naming the field): a time without its offset, a past time for a switch that runs once, a repeat other than none/daily/weekly, a profile no job of the target has. A server down at its time switches at its start if at most an hour late; later, the switch is recorded as missed",
    params: NameParams,
    body: ScheduleInputBody,
    response: { 201: ScheduledSwitchBody, ...errors },
  }),
  removeSchedule: operation('DELETE', '/targets/:name/profile-schedule/:id', {
    tags,
    summary: "Remove a target's scheduled switch; 404: the target has none of that id",
    params: ScheduleIdParams(Name),
    response: { 200: Type.Object({ removed: Type.Integer() }), ...errors },
  }),
  spaceActive: operation('GET', '/spaces/:name/active-profile', {
    tags,
    summary: "A space's active resource profile and its last switch, each job's part in it",
    params: SpaceParams,
    response: { 200: SpaceProfileBody, ...errors },
  }),
  spaceSwitch: operation('PUT', '/spaces/:name/active-profile', {
    tags,
    summary:
      "Switch a space's active resource profile: every RUNNING job of the space (on any target) with a profile of that name is upgraded with a savepoint, one at a time (SLUICE_PROFILE_SWITCH_CONCURRENCY), each a submission of the job; the others are skipped with the reason; jobs of the space started later start with it. A space's active profile wins over its jobs' targets'. Answers once recorded (202); GET shows the progress. 409: a switch of the space is under way",
    params: SpaceParams,
    body: Type.Object({ profile: ProfileName }, { additionalProperties: false }),
    response: { 202: SpaceProfileBody, ...errors },
  }),
  spaceSchedule: operation('GET', '/spaces/:name/profile-schedule', {
    tags,
    summary:
      "A space's scheduled profile switches: each one's next time and what it did the last time it was due",
    params: SpaceParams,
    response: { 200: Type.Array(SpaceScheduledSwitchBody), ...errors },
  }),
  addSpaceSchedule: operation('POST', '/spaces/:name/profile-schedule', {
    tags,
    summary:
      "Schedule a switch of a space's active profile, once or daily or weekly: at its time the scheduler switches as PUT /spaces/{name}/active-profile does (author `scheduler (switch <id>)`). Refused (400, naming the field) as a target's schedule is, and for a profile no job of the space has",
    params: SpaceParams,
    body: ScheduleInputBody,
    response: { 201: SpaceScheduledSwitchBody, ...errors },
  }),
  removeSpaceSchedule: operation('DELETE', '/spaces/:name/profile-schedule/:id', {
    tags,
    summary: "Remove a space's scheduled switch; 404: the space has none of that id",
    params: ScheduleIdParams(SpaceNameSchema),
    response: { 200: Type.Object({ removed: Type.Integer() }), ...errors },
  }),
};

export type JobProfilesView = Static<typeof JobProfilesBody>;
export type TargetProfileView = Static<typeof TargetProfileBody>;
export type SpaceProfileView = Static<typeof SpaceProfileBody>;
export type SpaceScheduledSwitchView = Static<typeof SpaceScheduledSwitchBody>;
export type ProfileInput = Static<typeof ProfileInputBody>;
export type ScheduledSwitchView = Static<typeof ScheduledSwitchBody>;
export type ScheduleInput = Static<typeof ScheduleInputBody>;
