import { Type, type Static } from 'typebox';
import { operation } from './operation.ts';

const label = (description: string) => Type.String({ description });

export const ScrapeTargetGroupBody = Type.Object(
  {
    targets: Type.Array(Type.String({ description: 'host:port of a Flink process’s Prometheus reporter' }), {
      description: 'the addresses Prometheus scrapes (one process per group)',
    }),
    labels: Type.Object(
      {
        target: label('the deployment target the process runs for'),
        engine_version: label('the engine (Flink minor version) of the target'),
        role: Type.Union([Type.Literal('jobmanager'), Type.Literal('taskmanager')]),
        process: label('the process in its cluster: jobmanager, taskmanager-2'),
        job: Type.Optional(
          label(
            "the job whose cluster the process is (absent on a session cluster's processes, which run several jobs; Flink's own series name theirs by job_id)",
          ),
        ),
        version: Type.Optional(label('the version of the job deployed')),
        flink_job_id: Type.Optional(label('the Flink job id of that deployment')),
      },
      {
        additionalProperties: false,
        description:
          'labels Prometheus puts on every series scraped there; no space label: Sluice has no spaces yet',
      },
    ),
  },
  { additionalProperties: false },
);

export const prometheus = {
  targets: operation('GET', '/prometheus/targets', {
    tags: ['prometheus'],
    summary:
      "Prometheus HTTP service discovery (http_sd_configs): the running JobManagers and TaskManagers of the clusters Sluice runs, each with its reporter's address and labels",
    response: { 200: Type.Array(ScrapeTargetGroupBody) },
  }),
};

export type ScrapeTargetGroupView = Static<typeof ScrapeTargetGroupBody>;
