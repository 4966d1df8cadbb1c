import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { noRouteAnswer } from './errors.ts';

/** Where `npm run build:web` puts the console. */
export const CONSOLE_DIR = path.resolve(import.meta.dirname, '../../../dist/web');

/**
 * The web console, served from the same origin as the API: its files, and index.html for every
 * other path outside /api so that the console's own routes survive a reload.
 */
export async function registerConsole(app: FastifyInstance, dir = CONSOLE_DIR): Promise<void> {
  const built = fs.existsSync(path.join(dir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: dir, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/')) {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply
        .status(503)
        .type('text/plain')
        .send(`The web console is not built: run \`npm run build:web\` (npm start does it), then reload.\n`);
    }
    return noRouteAnswer(app, req, reply);
  });
}
