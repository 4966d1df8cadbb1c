import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../composition/platform.ts';
import { jobs as J } from '../../contract/jobs.ts';
import { withTarget } from './target-alias.ts';
import { eventStream } from '../sse.ts';
import type { LogEventMap } from '../../contract/jobs.ts';
import { withoutSpace, withSpaces } from '../plugins/authorization.ts';
import { DEFAULT_SPACE } from '../../domain/access/spaces.ts';

/** Who did it, as the server can tell without users (src/http/plugins/request-origin.ts). */
const author = (req: FastifyRequest) => req.author;

/** The jobs operations of the contract (src/contract/jobs.ts), each registered with its own schema. */
export const jobRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const jobs = platform.jobs;
    app.route({
      ...J.list,
      handler: async () => withSpaces('job', await jobs.list(), platform.spaces, DEFAULT_SPACE),
    });
    app.route({
      ...J.create,
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(await jobs.create(withTarget(withoutSpace(req.body), 'clusterName'), author(req), req.space)),
    });
    // The authorization found the job's space (req.space) before the route ran.
    app.route({
      ...J.get,
      handler: async (req) => ({ ...(await jobs.get(req.params.name)), space: req.space ?? DEFAULT_SPACE }),
    });
    app.route({
      ...J.update,
      handler: (req) => {
        const { baseVersion, message, ...changes } = withTarget(req.body, 'clusterName');
        return jobs.update(req.params.name, baseVersion, changes, message, author(req));
      },
    });
    app.route({
      ...J.remove,
      handler: (req) => jobs.delete(req.params.name, { keepSavepoints: req.query.keepSavepoints ?? false }),
    });
    app.route({
      ...J.copy,
      handler: async (req, reply) =>
        reply.status(201).send(
          await jobs.copy(req.params.name, req.body.name, author(req), {
            sameSpaceOnly: !req.principal?.admin,
          }),
        ),
    });
    app.route({ ...J.versions, handler: (req) => jobs.versions(req.params.name) });
    app.route({ ...J.version, handler: (req) => jobs.version(req.params.name, req.params.number) });
    app.route({ ...J.diff, handler: (req) => jobs.diff(req.params.name, req.query.from, req.query.to) });
    app.route({
      ...J.rollback,
      handler: (req) =>
        jobs.rollback(req.params.name, req.body.version, author(req), {
          sameSpaceOnly: !req.principal?.admin,
        }),
    });
    app.route({
      ...J.start,
      handler: async (req, reply) =>
        reply.status(202).send(await jobs.start(req.params.name, req.body ?? {}, author(req))),
    });
    app.route({
      ...J.stop,
      handler: async (req, reply) =>
        reply.status(202).send(await jobs.stop(req.params.name, req.body?.drain ?? false, author(req))),
    });
    app.route({
      ...J.cancel,
      handler: async (req, reply) => reply.status(202).send(await jobs.cancel(req.params.name, author(req))),
    });
    app.route({
      ...J.upgrade,
      handler: async (req, reply) =>
        reply
          .status(202)
          .send(
            await jobs.upgrade(
              req.params.name,
              { allowNonRestoredState: req.body?.allowNonRestoredState },
              author(req),
            ),
          ),
    });
    app.route({
      ...J.triggerSavepoint,
      handler: async (req, reply) =>
        reply.status(202).send(await jobs.savepoint(req.params.name, author(req))),
    });
    app.route({ ...J.savepoints, handler: (req) => jobs.savepoints(req.params.name) });
    app.route({ ...J.render, handler: (req) => jobs.render(req.params.name) });
    app.route({
      ...J.optionChanges,
      handler: (req) =>
        jobs.optionChanges(req.params.name, req.body.to, req.body.rewrite ?? false, author(req)),
    });
    app.route({ ...J.submissions, handler: (req) => jobs.submissions(req.params.name) });
    app.route({ ...J.submission, handler: (req) => jobs.submission(req.params.name, req.params.number) });
    app.route({ ...J.events, handler: (req) => jobs.events(req.params.name) });
    app.route({
      ...J.graph,
      handler: (req) => platform.jobGraph.graph(req.params.name, { at: req.query.at }),
    });
    app.route({
      ...J.exceptions,
      handler: (req) => platform.exceptions.exceptions(req.params.name, req.query.run),
    });
    app.route({ ...J.logs, handler: (req) => platform.logs.sources(req.params.name, req.query.run) });
    app.route({
      ...J.log,
      handler: async (req, reply) => {
        const { name, source } = req.params;
        const { run, download } = req.query;
        reply.type('text/plain; charset=utf-8');
        if (download) {
          const text = await platform.logs.whole(name, source, run);
          const file = `${name}-${run ?? 'latest'}-${source}`.replace(/[^\w.-]/g, '_');
          return reply.header('content-disposition', `attachment; filename="${file}"`).send(text);
        }
        const r = await platform.logs.read(name, source, req.query);
        return reply
          .header('sluice-log-from', String(r.from))
          .header('sluice-log-next', String(r.next))
          .header('sluice-log-size', String(r.size))
          .header('sluice-log-live', String(r.live))
          .send(r.text);
      },
    });
    app.route({
      ...J.followLog,
      handler: async (req, reply) => {
        const reading = new AbortController();
        const { name, source } = req.params;
        const lines = await platform.logs.follow(name, source, req.query.from ?? 0, {
          run: req.query.run,
          signal: reading.signal,
        });
        const stream = eventStream<LogEventMap>(req, reply, () => reading.abort());
        try {
          for await (const r of lines)
            stream.send('chunk', { text: r.text, from: r.from, next: r.next, size: r.size });
          if (!reading.signal.aborted)
            stream.send('end', { reason: 'the process no longer writes this log' });
        } catch (e) {
          stream.send('end', { reason: (e as Error).message });
        } finally {
          stream.end();
        }
      },
    });
  };
