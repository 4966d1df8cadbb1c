import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { plainHttpUrl, urlShown } from '../requests/plain-url.ts';

/**
 * Which Prometheus keeps the metrics: one Sluice runs itself (`embedded`, the default), one of the
 * user's named by its URL (`external`), or none (`off`).
 */
export type PrometheusSettings =
  | {
      mode: 'embedded';
      /** How long Prometheus keeps samples (`--storage.tsdb.retention.time`), a Prometheus duration. */
      retention: string;
      /** Where it listens on 127.0.0.1; 0: a free port picked at each start. */
      port: number;
      /** How often it scrapes and asks Sluice for the scrape targets, a Prometheus duration. */
      scrapeInterval: string;
    }
  | { mode: 'external'; url: string }
  | { mode: 'off' };

export type PrometheusMode = PrometheusSettings['mode'];

export const PROMETHEUS_VARIABLES = {
  mode: 'SLUICE_PROMETHEUS',
  url: 'SLUICE_PROMETHEUS_URL',
  retention: 'SLUICE_PROMETHEUS_RETENTION',
  port: 'SLUICE_PROMETHEUS_PORT',
  scrapeInterval: 'SLUICE_PROMETHEUS_SCRAPE_INTERVAL',
} as const;

export const PROMETHEUS_DEFAULTS = {
  retention: '15d',
  // Not Prometheus's own 9090: Debian's package enables a system service of its own there.
  port: 9190,
  scrapeInterval: '15s',
} as const;

// Prometheus's own duration syntax (model.ParseDuration): units largest first, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** The milliseconds of a Prometheus duration (`15d`, `1w3d`, `90m`), or undefined when it is none. */
export function prometheusDurationMs(text: string): number | undefined {
  const m = text ? DURATION.exec(text) : null;
  if (!m) return undefined;
  return m.slice(1).reduce((sum, n, i) => sum + (n ? Number(n) * UNIT_MS[i]! : 0), 0);
}

/** A duration setting, refused naming its variable unless it is a Prometheus duration above zero. */
function duration(variable: string, value: string): string {
  const ms = prometheusDurationMs(value);
  if (!ms)
    throw new SluiceError('invalid_argument', message('config.prometheusBadDuration', { variable, value }), {
      setting: variable,
    });
  return value;
}

/**
 * The Prometheus settings from SLUICE_PROMETHEUS*: SLUICE_PROMETHEUS_URL names the user's own,
 * SLUICE_PROMETHEUS=off asks for none, and otherwise Sluice runs one. Contradictions and bad values
 * are refused naming the variable, so that the server does not start on a setting it would ignore.
 */
export function parsePrometheusSettings(env: Record<string, string | undefined>): PrometheusSettings {
  const v = (name: string) => env[name]?.trim() || undefined;
  const mode = v(PROMETHEUS_VARIABLES.mode);
  const url = v(PROMETHEUS_VARIABLES.url);
  if (mode !== undefined && mode !== 'off' && mode !== 'embedded')
    throw new SluiceError('invalid_argument', message('config.prometheusMode', { value: mode }), {
      setting: PROMETHEUS_VARIABLES.mode,
    });
  if (url !== undefined) {
    if (mode !== undefined)
      throw new SluiceError('invalid_argument', message('config.prometheusConflict', { mode, url }), {
        setting: PROMETHEUS_VARIABLES.mode,
      });
    return { mode: 'external', url: prometheusUrl(url) };
  }
  if (mode === 'off') return { mode: 'off' };
  const portText = v(PROMETHEUS_VARIABLES.port);
  const port = portText === undefined ? PROMETHEUS_DEFAULTS.port : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535))
    throw new SluiceError('invalid_argument', message('config.prometheusBadPort', { value: portText }), {
      setting: PROMETHEUS_VARIABLES.port,
    });
  return {
    mode: 'embedded',
    retention: duration(
      PROMETHEUS_VARIABLES.retention,
      v(PROMETHEUS_VARIABLES.retention) ?? PROMETHEUS_DEFAULTS.retention,
    ),
    port,
    scrapeInterval: duration(
      PROMETHEUS_VARIABLES.scrapeInterval,
      v(PROMETHEUS_VARIABLES.scrapeInterval) ?? PROMETHEUS_DEFAULTS.scrapeInterval,
    ),
  };
}

/** An http(s) base URL without credentials (it is shown in health and messages), no trailing slash. */
function prometheusUrl(text: string): string {
  const url = plainHttpUrl(text);
  if (!url)
    throw new SluiceError('invalid_argument', message('config.prometheusBadUrl', { url: urlShown(text) }), {
      setting: PROMETHEUS_VARIABLES.url,
    });
  return url.href.replace(/\/+$/, '');
}
