import type { FastifyReply, FastifyRequest } from 'fastify';
import { maskSecretsIn } from '../application/secret-masking.ts';

/** Turns a request into a server-sent event stream; `onClose` runs when the client goes away. */
export function eventStream(
  req: FastifyRequest,
  reply: FastifyReply,
  onClose: () => void,
): { send: (event: string, data: unknown) => void; end: () => void } {
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  reply.raw.write(': connected\n\n');
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    onClose();
  });
  void reply.hijack();
  return {
    send: (event, data) =>
      reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(maskSecretsIn(data))}\n\n`),
    end: () => {
      clearInterval(keepAlive);
      reply.raw.end();
    },
  };
}
