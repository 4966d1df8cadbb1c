import { Type, type Static } from 'typebox';
import { errors, Name, NameParams, StringMap } from './common.ts';
import { operation } from './operation.ts';
import { SWITCH_STEP_STATUSES, type SwitchStepStatus } from '../domain/profiles/profile.ts';
import {
  SCHEDULE_OUTCOMES,
  SCHEDULE_REPEATS,
  type ScheduleOutcome,
  type ScheduleRepeat,
} from '../domain/profiles/schedule.ts';

/** Resource profiles: a job's named overlays (normal, peak) and a deployment target's active one. */

const tags = ['profiles'];
const ProfileName = Type.String({
  minLength: 1,
  maxLength: 32,
  description: 'a profile name: lowercase letters, digits and -, such as normal or peak',
});
const ProfileParams = Type.Object({ name: Name, profile: ProfileName });

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
    description: "the profile the job's target has active (the job runs it if it has one of that name)",
  }),
  profiles: Type.Array(ProfileBody),
});

const SwitchStepBody = Type.Object({
  job: Type.String(),
  status: Type.Unsafe<SwitchStepStatus>(Type.Union(SWITCH_STEP_STATUSES.map((s) => Type.Literal(s)))),
  submission: Type.Union([Type.Integer(), Type.Null()], { description: "the upgrade's submission number" }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it was skipped or failed' }),
});

const TargetProfileBody = Type.Object({
  target: Type.String(),
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
});

const Repeat = (description: string) =>
  Type.Unsafe<ScheduleRepeat>(Type.String({ maxLength: 16, description }));

const ScheduledSwitchBody = Type.Object({
  id: Type.Integer(),
  target: Type.String(),
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
});

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
    params: Type.Object({ name: Name, id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
    response: { 200: Type.Object({ removed: Type.Integer() }), ...errors },
  }),
};

export type JobProfilesView = Static<typeof JobProfilesBody>;
export type TargetProfileView = Static<typeof TargetProfileBody>;
export type ProfileInput = Static<typeof ProfileInputBody>;
export type ScheduledSwitchView = Static<typeof ScheduledSwitchBody>;
export type ScheduleInput = Static<typeof ScheduleInputBody>;
