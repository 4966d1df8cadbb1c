import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Platform } from '../../application/platform.ts';
import { SLUICE_VERSION } from '../../application/version.ts';
import { renderMessage } from '../../domain/messages.ts';
import { exposureWarning } from '../../domain/requests/request-origin.ts';
import { MessageParams } from '../schemas.ts';

const Component = Type.Object({
  name: Type.String(),
  status: Type.String(),
  detail: Type.Union([Type.String(), Type.Null()]),
});

export const healthRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          summary: 'Health of the metadata store, the installed engines and the local clusters',
          response: {
            200: Type.Object({
              status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
              version: Type.String({ description: "Sluice's version (package.json)" }),
              store: Type.Object({
                status: Type.String(),
                dialect: Type.String(),
                detail: Type.Union([Type.String(), Type.Null()]),
              }),
              engines: Type.Array(Component),
              clusters: Type.Array(Component),
              bootstrap: Type.Union([
                Type.Null(),
                Type.Object({ operationId: Type.String(), status: Type.String() }),
              ]),
              warnings: Type.Array(
                Type.Object({
                  message: Type.String(),
                  messageCode: Type.String(),
                  messageParams: MessageParams,
                }),
                {
                  description:
                    'what an operator must know: the API reachable from other machines without authentication',
                },
              ),
            }),
          },
        },
      },
      async () => {
        let store = { status: 'ok', dialect: platform.store.dialect, detail: null as string | null };
        try {
          await platform.store.ping();
        } catch (e) {
          store = { ...store, status: 'down', detail: (e as Error).message };
        }
        const engines = (await platform.engines.list().catch(() => [])).map((e) => ({
          name: e.version,
          status: e.healthy ? 'ok' : 'broken',
          detail: e.problem ?? `Flink ${e.flinkVersion} at ${e.home}`,
        }));
        const clusters = (await platform.clusters.list().catch(() => [])).map((c) => ({
          name: c.name,
          status: c.state,
          detail: c.overview
            ? `${c.overview.taskmanagers} TaskManagers, ${c.overview['slots-available']}/${c.overview['slots-total']} slots free`
            : null,
        }));
        const boot = platform.bootstrapOperationId
          ? platform.operations.get(platform.bootstrapOperationId)
          : undefined;
        const degraded =
          store.status !== 'ok' ||
          engines.some((e) => e.status !== 'ok') ||
          clusters.some((c) => c.status === 'degraded');
        const exposed = exposureWarning(platform.config.host);
        return {
          status: degraded ? ('degraded' as const) : ('ok' as const),
          version: SLUICE_VERSION,
          store,
          engines,
          clusters,
          bootstrap: boot ? { operationId: boot.id, status: boot.status } : null,
          warnings: exposed
            ? [{ message: renderMessage(exposed), messageCode: exposed.code, messageParams: exposed.params }]
            : [],
        };
      },
    );
  };
