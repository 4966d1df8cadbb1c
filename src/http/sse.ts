import type { Server } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskSecretsIn } from '../application/secret-masking.ts';

// Open streams by the server that serves them: a hijacked reply is outside Fastify's own
// bookkeeping, so without this a server's close waits until every browser tab goes away.
const openStreams = new Map<Server, Set<() => void>>();

/** Closing the server ends its event streams first (a client's EventSource then reconnects elsewhere or gives up). */
export function endEventStreamsOnClose(app: FastifyInstance): void {
  app.addHook('preClose', (done) => {
    for (const end of openStreams.get(app.server) ?? []) end();
    openStreams.delete(app.server);
    done();
  });
}

/**
 * Turns a request into a server-sent event stream; `onClose` runs when the client goes away. `Events`
 * maps each event name to its data, as the API contract declares them (src/contract/events.ts).
 */
export function eventStream<Events extends Record<string, unknown> = Record<string, unknown>>(
  req: FastifyRequest,
  reply: FastifyReply,
  onClose: () => void,
): { send: <E extends keyof Events & string>(event: E, data: Events[E]) => void; end: () => void } {
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  reply.raw.write(': connected\n\n');
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  const server = req.server.server;
  const streams = openStreams.get(server) ?? new Set<() => void>();
  openStreams.set(server, streams);
  const end = () => {
    clearInterval(keepAlive);
    streams.delete(end);
    reply.raw.end();
  };
  streams.add(end);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    streams.delete(end);
    onClose();
  });
  void reply.hijack();
  return {
    send: (event, data) =>
      reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(maskSecretsIn(data))}\n\n`),
    end,
  };
}
