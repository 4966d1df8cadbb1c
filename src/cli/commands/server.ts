import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../../application/config.ts';
import { Platform } from '../../composition/platform.ts';
import { maskingLogOptions } from '../../application/secret-masking.ts';
import { renderMessage } from '../../domain/messages.ts';
import { exposureWarning } from '../../domain/requests/request-origin.ts';
import { buildServer } from '../../http/server.ts';

/** Runs the whole platform in this process until SIGINT/SIGTERM, then stops its clusters cleanly. */
export async function runServer(opts: { port?: string; host?: string; autoStart?: boolean }): Promise<void> {
  const config = loadConfig();
  if (opts.port) config.port = Number(opts.port);
  if (opts.host) config.host = opts.host;
  if (opts.autoStart === false) config.autoStart = false;
  const log = pino(
    { level: process.env.SLUICE_LOG_LEVEL ?? 'info', base: { service: 'sluice' }, ...maskingLogOptions },
    pino.destination(1),
  );
  const platform = await Platform.open(config, log);
  const app = await buildServer(platform);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'stopping: closing the API, then stopping local clusters');
    await app.close();
    await platform.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log.info(
    {
      url: `http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`,
      home: config.home,
      store: platform.store.dialect,
    },
    'API ready',
  );
  const exposed = exposureWarning(config.host);
  if (exposed) log.warn({ host: config.host, messageCode: exposed.code }, renderMessage(exposed));
  await platform.boot();
  // In the background: the API is up before Prometheus is, and health says how it goes.
  void platform.startPrometheus(scrapeUrl(config.host, (app.server.address() as AddressInfo).port));
}

/** Sluice's API as a Prometheus on this machine reaches it: loopback when it listens on every address. */
function scrapeUrl(host: string, port: number): string {
  const loopback = ['0.0.0.0', '::', '', 'localhost'].includes(host);
  const h = loopback ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
