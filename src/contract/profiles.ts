import { Type, type Static } from 'typebox';
import { errors, Name, NameParams, StringMap } from './common.ts';
import { operation } from './operation.ts';
import { SWITCH_STEP_STATUSES, type SwitchStepStatus } from '../domain/profiles/profile.ts';

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
};

export type JobProfilesView = Static<typeof JobProfilesBody>;
export type TargetProfileView = Static<typeof TargetProfileBody>;
export type ProfileInput = Static<typeof ProfileInputBody>;
