import { Type, type Static } from 'typebox';
import { MessageCodeOf, MessageParams } from './common.ts';
import { operation } from './operation.ts';

const Component = Type.Object({
  name: Type.String(),
  status: Type.String(),
  detail: Type.Union([Type.String(), Type.Null()]),
});

const Restarts = Type.Object(
  {
    count: Type.Integer({ minimum: 0, description: 'its restarts since Sluice started' }),
    recent: Type.Array(
      Type.Object({
        exitedAt: Type.String({ description: 'when it exited (ISO 8601)' }),
        exit: Type.String({
          description: 'how it ended: exit code N, signal SIGNAME, or why it could not be started again',
        }),
        ranSeconds: Type.Integer({ minimum: 0, description: 'how long it had run' }),
        delaySeconds: Type.Number({ minimum: 0, description: 'the wait before it was started again' }),
      }),
      { description: 'the last 10, newest first (empty to a caller without credentials)' },
    ),
  },
  {
    description:
      "the embedded server exited on its own and Sluice started it again, on the same port and data, after a backoff of 1 s doubling to 60 s (back to 1 s once it ran 5 minutes); always none for the user's or none",
  },
);

/**
 * A caller without credentials sees the state of each part and nothing that names or locates
 * anything: no engine, target, folder, URL nor detail (empty lists and nulls).
 */
export const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String({ description: "Sluice's version (package.json)" }),
  store: Type.Object({
    status: Type.String(),
    dialect: Type.String(),
    detail: Type.Union([Type.String(), Type.Null()]),
  }),
  artifactStorage: Type.Union(
    [
      Type.Null(),
      Type.Object({ kind: Type.Literal('local'), dir: Type.String() }),
      Type.Object({
        kind: Type.Literal('s3'),
        endpoint: Type.String(),
        bucket: Type.String(),
        prefix: Type.String(),
      }),
    ],
    {
      description:
        'where artifact bytes are kept: a folder, or an S3-compatible bucket (never a credential); null to a caller without credentials',
    },
  ),
  engines: Type.Array(Component),
  targets: Type.Array(Component, {
    description:
      'every deployment target with its state (a session target: of its session cluster, degraded when one of its processes is down; an application target: running while a job cluster runs; a Kubernetes target: ok, degraded when a check of its cluster fails, unreachable when its API server does not answer) and, when a session cluster answers, its TaskManagers and free slots',
  }),
  prometheus: Type.Object(
    {
      mode: Type.Union([Type.Literal('embedded'), Type.Literal('external'), Type.Literal('off')], {
        description:
          'embedded: the Prometheus Sluice runs itself (SLUICE_PROMETHEUS unset); external: the one SLUICE_PROMETHEUS_URL names; off: none (SLUICE_PROMETHEUS=off)',
      }),
      url: Type.Union([Type.String(), Type.Null()], {
        description: 'its base URL (null when off, or embedded and not started yet)',
      }),
      ready: Type.Boolean({ description: 'it answers /-/ready now' }),
      retention: Type.Union([Type.String(), Type.Null()], {
        description: 'how long it keeps samples (a Prometheus duration such as 15d), when known',
      }),
      detail: Type.Union([Type.String(), Type.Null()], {
        description: 'why it is not ready (starting, restarting after an exit, failed...), or null',
      }),
      restarts: Restarts,
    },
    { description: 'the Prometheus that keeps the metrics of Sluice and of the Flink processes it runs' },
  ),
  alertmanager: Type.Object(
    {
      mode: Type.Union([Type.Literal('embedded'), Type.Literal('external'), Type.Literal('off')], {
        description:
          'embedded: the Alertmanager Sluice runs itself (SLUICE_ALERTMANAGER unset); external: the one SLUICE_ALERTMANAGER_URL names (Sluice writes its configuration to `configFile` for you to give it); off: none (SLUICE_ALERTMANAGER=off)',
      }),
      url: Type.Union([Type.String(), Type.Null()], {
        description: 'its base URL (null when off, or embedded and not started yet)',
      }),
      ready: Type.Boolean({ description: 'it answers /-/ready now' }),
      configFile: Type.Union([Type.String(), Type.Null()], {
        description: 'the alertmanager.yml Sluice writes from its alert rules (null when off)',
      }),
      detail: Type.Union([Type.String(), Type.Null()], {
        description: 'why it is not ready (starting, restarting after an exit, failed...), or null',
      }),
      restarts: Restarts,
    },
    { description: 'the Alertmanager that routes the alerts of the rules Sluice stores' },
  ),
  directory: Type.Union(
    [
      Type.Null(),
      Type.Object({
        kind: Type.Literal('ldap'),
        url: Type.Union([Type.String(), Type.Null()], {
          description: 'SLUICE_LDAP_URL (null to a caller without credentials)',
        }),
        ready: Type.Boolean({ description: 'it answered a bind of the search account now' }),
        detail: Type.Union([Type.String(), Type.Null()], { description: 'why it is not ready, or null' }),
      }),
    ],
    { description: 'the LDAP directory users sign in through (SLUICE_LDAP_URL); null: local users only' },
  ),
  oidc: Type.Union(
    [
      Type.Null(),
      Type.Object({
        name: Type.String({ description: 'SLUICE_OIDC_NAME: the console shows "Sign in with <name>"' }),
        issuer: Type.Union([Type.String(), Type.Null()], {
          description: 'SLUICE_OIDC_ISSUER (null to a caller without credentials)',
        }),
        ready: Type.Boolean({ description: 'its discovery document answered now' }),
        detail: Type.Union([Type.String(), Type.Null()], { description: 'why it is not ready, or null' }),
      }),
    ],
    {
      description:
        'the OpenID Connect provider users sign in to the console through (SLUICE_OIDC_ISSUER); null: none',
    },
  ),
  bootstrap: Type.Union([Type.Null(), Type.Object({ operationId: Type.String(), status: Type.String() })]),
  warnings: Type.Array(
    Type.Object({
      message: Type.String(),
      messageCode: MessageCodeOf('the message as a code'),
      messageParams: MessageParams,
    }),
    {
      description:
        'what an operator must know: the API reachable from other machines without authentication, a Prometheus, Alertmanager, LDAP directory or OpenID Connect provider in use that is not ready (an embedded Prometheus or Alertmanager that exited and is restarting among them)',
    },
  ),
});

export const health = {
  // Public, so that a load balancer or a watchdog can ask it without a credential; without one it
  // says less (src/http/routes/health.ts).
  get: operation(
    'GET',
    '/health',
    {
      tags: ['health'],
      summary:
        'Health of the metadata store, the installed engines, the deployment targets, the Prometheus and Alertmanager in use, the LDAP directory and the OpenID Connect provider users sign in through',
      response: { 200: HealthBody },
    },
    'public',
  ),
};

export type Health = Static<typeof HealthBody>;
