import { Type, type Static } from 'typebox';
import { AlertBody } from './alert-rules.ts';
import { EventStream } from './common.ts';
import { JobEventBody, SubmissionBody } from './jobs.ts';
import { operation } from './operation.ts';

/**
 * What /api/v1/events pushes, by event name: a job's state transition, a submission's progress, an
 * alert about a job as Sluice keeps it (fired or resolved, with how its delivery went).
 */
export const PlatformEvents = {
  'job.state': Type.Object({ type: Type.Literal('job.state'), jobName: Type.String(), event: JobEventBody }),
  submission: Type.Object({
    type: Type.Literal('submission'),
    jobName: Type.String(),
    submission: SubmissionBody,
  }),
  alert: Type.Object({ type: Type.Literal('alert'), jobName: Type.String(), alert: AlertBody }),
};

export const events = {
  stream: operation('GET', '/events', {
    tags: ['events'],
    summary:
      'Server-sent events (text/event-stream): `job.state`, `submission` and `alert`; ?job=N narrows to one job',
    querystring: Type.Object({ job: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) }),
    response: { 200: EventStream(Object.keys(PlatformEvents)) },
  }),
  streams: operation('GET', '/events/streams', {
    tags: ['events'],
    summary: 'How many event streams are open now, and how many were opened since the server started',
    response: { 200: Type.Object({ open: Type.Integer(), opened: Type.Integer() }) },
  }),
};

export type PlatformEventMap = { [K in keyof typeof PlatformEvents]: Static<(typeof PlatformEvents)[K]> };
export type PlatformEvent = PlatformEventMap[keyof PlatformEventMap];
