import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../composition/platform.ts';
import { SLUICE_VERSION } from '../../application/version.ts';
import { renderMessage } from '../../domain/messages.ts';
import { exposureWarning } from '../../domain/requests/request-origin.ts';
import { health as H } from '../../contract/health.ts';

export const healthRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({
      ...H.get,
      handler: async (req) => {
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
        const targets = (await platform.targets.list().catch(() => [])).map((c) => ({
          name: c.name,
          status: c.state,
          detail: c.kubernetes
            ? (c.problem ??
              `${c.targetKind} in namespace ${c.kubernetes.spec.namespace} of ${c.kubernetes.server} (Kubernetes ${c.kubernetes.serverVersion})`)
            : c.overview
              ? `${c.overview.taskmanagers} TaskManagers, ${c.overview['slots-available']}/${c.overview['slots-total']} slots free`
              : null,
        }));
        const boot = platform.bootstrapOperationId
          ? platform.operations.get(platform.bootstrapOperationId)
          : undefined;
        const degraded =
          store.status !== 'ok' ||
          engines.some((e) => e.status !== 'ok') ||
          targets.some((c) => c.status === 'degraded');
        const exposed = exposureWarning(platform.config.host);
        const prometheus = await platform.prometheus.status();
        const alertmanager = await platform.alertmanager.status();
        const directory = platform.access.directory;
        const directoryProblem = directory ? await directory.problem() : null;
        const oidc = platform.access.oidc;
        const oidcProblem = oidc ? await oidc.provider.problem() : null;
        const warnings = [
          exposed,
          prometheus.problem,
          alertmanager.problem,
          directoryProblem,
          oidcProblem,
          ...(await platform.access.groupRoleProblems().catch(() => [])),
        ].filter((w) => w !== null && w !== undefined);
        const full = {
          status: degraded ? ('degraded' as const) : ('ok' as const),
          version: SLUICE_VERSION,
          store,
          artifactStorage: platform.artifacts.storage,
          engines,
          targets,
          prometheus: {
            mode: prometheus.mode,
            url: prometheus.url,
            ready: prometheus.ready,
            retention: prometheus.retention,
            detail: prometheus.problem ? renderMessage(prometheus.problem) : null,
            restarts: prometheus.restarts,
          },
          alertmanager: {
            mode: alertmanager.mode,
            url: alertmanager.url,
            ready: alertmanager.ready,
            configFile: platform.alertmanager.configFile,
            detail: alertmanager.problem ? renderMessage(alertmanager.problem) : null,
            restarts: alertmanager.restarts,
          },
          directory: directory
            ? {
                kind: 'ldap' as const,
                url: directory.url,
                ready: directoryProblem === null,
                detail: directoryProblem ? renderMessage(directoryProblem) : null,
              }
            : null,
          oidc: oidc
            ? {
                name: oidc.settings.displayName,
                issuer: oidc.provider.issuer,
                ready: oidcProblem === null,
                detail: oidcProblem ? renderMessage(oidcProblem) : null,
              }
            : null,
          bootstrap: boot ? { operationId: boot.id, status: boot.status } : null,
          warnings: warnings.map((w) => ({
            message: renderMessage(w),
            messageCode: w.code,
            messageParams: w.params,
          })),
        };
        if (req.principal) return full;
        // Nobody: the state of each part, nothing that names or locates it.
        const blind = (restarts: { count: number }) => ({
          url: null,
          detail: null,
          // How many, not how they ended: an exit may name a program's path.
          restarts: { count: restarts.count, recent: [] },
        });
        return {
          ...full,
          store: { ...store, detail: null },
          artifactStorage: null,
          engines: [],
          targets: [],
          prometheus: { ...full.prometheus, ...blind(prometheus.restarts) },
          alertmanager: { ...full.alertmanager, ...blind(alertmanager.restarts), configFile: null },
          directory: full.directory && { ...full.directory, url: null, detail: null },
          // The sign-in page's button needs the provider's name and whether it answers, not where it is.
          oidc: full.oidc && { ...full.oidc, issuer: null, detail: null },
          // The directory's and the provider's problems name where they are; the mapping names groups.
          warnings: full.warnings.filter(
            (w) =>
              !w.messageCode.startsWith('ldap.') &&
              !w.messageCode.startsWith('oidc.') &&
              w.messageCode !== 'access.groupRolesNoSpace',
          ),
          bootstrap: null,
        };
      },
    });
  };
