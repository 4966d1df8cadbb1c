import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ScheduledSwitchView } from '../../application/profile-schedules.ts';
import type { Platform } from '../../composition/platform.ts';
import { profiles as C } from '../../contract/profiles.ts';
import { spaceScope, targetScope } from '../../domain/profiles/profile.ts';

/** A scheduled switch as the contract shows it: its scope's name under `target` or `space`. */
const underTarget = ({ scope, ...s }: ScheduledSwitchView) => ({ target: scope.name, ...s });
const underSpace = ({ scope, ...s }: ScheduledSwitchView) => ({ space: scope.name, ...s });

/** Resource profile operations of the contract (src/contract/profiles.ts). */
export const profileRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.route({ ...C.ofJob, handler: (req) => platform.profiles.list(req.params.name) });
    app.route({
      ...C.set,
      handler: (req) =>
        platform.profiles.set(req.params.name, {
          name: req.params.profile,
          parallelism: req.body.parallelism,
          options: req.body.options,
        }),
    });
    app.route({
      ...C.remove,
      handler: async (req) => {
        await platform.profiles.remove(req.params.name, req.params.profile);
        return { removed: req.params.profile };
      },
    });

    // A target's active profile and scheduled switches.
    app.route({
      ...C.active,
      handler: async (req) => ({
        target: req.params.name,
        ...(await platform.profiles.state(targetScope(req.params.name))),
      }),
    });
    app.route({
      ...C.switch,
      handler: async (req, reply) =>
        reply.status(202).send({
          target: req.params.name,
          ...(await platform.profiles.switchTo(targetScope(req.params.name), req.body.profile, req.author)),
        }),
    });
    app.route({
      ...C.schedule,
      handler: async (req) =>
        (await platform.profileSchedules.list(targetScope(req.params.name))).map(underTarget),
    });
    app.route({
      ...C.addSchedule,
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(
            underTarget(
              await platform.profileSchedules.add(targetScope(req.params.name), req.body, req.author),
            ),
          ),
    });
    app.route({
      ...C.removeSchedule,
      handler: async (req) => {
        await platform.profileSchedules.remove(targetScope(req.params.name), req.params.id);
        return { removed: req.params.id };
      },
    });

    // A space's: the same, for every job of the space whichever its target.
    app.route({
      ...C.spaceActive,
      handler: async (req) => ({
        space: req.params.name,
        ...(await platform.profiles.state(spaceScope(req.params.name))),
      }),
    });
    app.route({
      ...C.spaceSwitch,
      handler: async (req, reply) =>
        reply.status(202).send({
          space: req.params.name,
          ...(await platform.profiles.switchTo(spaceScope(req.params.name), req.body.profile, req.author)),
        }),
    });
    app.route({
      ...C.spaceSchedule,
      handler: async (req) =>
        (await platform.profileSchedules.list(spaceScope(req.params.name))).map(underSpace),
    });
    app.route({
      ...C.addSpaceSchedule,
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(
            underSpace(
              await platform.profileSchedules.add(spaceScope(req.params.name), req.body, req.author),
            ),
          ),
    });
    app.route({
      ...C.removeSpaceSchedule,
      handler: async (req) => {
        await platform.profileSchedules.remove(spaceScope(req.params.name), req.params.id);
        return { removed: req.params.id };
      },
    });
  };
