import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { prometheusDurationMs } from '../metrics/prometheus-settings.ts';
import { plainHttpUrl, urlShown } from '../requests/plain-url.ts';

/** How Alertmanager groups and repeats the messages of one channel (its route's timings). */
export interface AlertRouting {
  /** How long a new group waits for more alerts before its first message. */
  groupWait: string;
  /** How long a group waits before a message about alerts added to it. */
  groupInterval: string;
  /** How long before a message still firing is sent again. */
  repeatInterval: string;
}

/**
 * Which Alertmanager routes the alerts: one Sluice runs itself (`embedded`, the default), the user's
 * named by its URL (`external`: Sluice reads it and writes the configuration to give it), or none.
 */
export type AlertmanagerSettings = (
  | { mode: 'embedded'; /** On 127.0.0.1; 0: a free port picked at each start. */ port: number }
  | { mode: 'external'; url: string }
  | { mode: 'off' }
) & { routing: AlertRouting };

export type AlertmanagerMode = AlertmanagerSettings['mode'];

export const ALERTMANAGER_VARIABLES = {
  mode: 'SLUICE_ALERTMANAGER',
  url: 'SLUICE_ALERTMANAGER_URL',
  port: 'SLUICE_ALERTMANAGER_PORT',
  groupWait: 'SLUICE_ALERT_GROUP_WAIT',
  groupInterval: 'SLUICE_ALERT_GROUP_INTERVAL',
  repeatInterval: 'SLUICE_ALERT_REPEAT_INTERVAL',
} as const;

export const ALERTMANAGER_DEFAULTS = {
  // Not Alertmanager's own 9093: Debian's package enables a system service of its own there.
  port: 9193,
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
} as const;

/** The Alertmanager settings from SLUICE_ALERTMANAGER* and SLUICE_ALERT_*, refused naming the variable. */
export function parseAlertmanagerSettings(env: Record<string, string | undefined>): AlertmanagerSettings {
  const v = (name: string) => env[name]?.trim() || undefined;
  const refuse = (variable: string, value: string, how: string) =>
    new SluiceError('invalid_argument', message('config.alertmanagerBad', { variable, value, how }), {
      setting: variable,
    });
  const duration = (variable: string, fallback: string) => {
    const value = v(variable) ?? fallback;
    if (!prometheusDurationMs(value))
      throw refuse(variable, value, 'a duration above zero, such as 30s, 5m or 4h');
    return value;
  };
  const routing: AlertRouting = {
    groupWait: duration(ALERTMANAGER_VARIABLES.groupWait, ALERTMANAGER_DEFAULTS.groupWait),
    groupInterval: duration(ALERTMANAGER_VARIABLES.groupInterval, ALERTMANAGER_DEFAULTS.groupInterval),
    repeatInterval: duration(ALERTMANAGER_VARIABLES.repeatInterval, ALERTMANAGER_DEFAULTS.repeatInterval),
  };
  const mode = v(ALERTMANAGER_VARIABLES.mode);
  const url = v(ALERTMANAGER_VARIABLES.url);
  if (mode !== undefined && mode !== 'off' && mode !== 'embedded')
    throw refuse(ALERTMANAGER_VARIABLES.mode, mode, 'embedded (the default) or off');
  if (url !== undefined) {
    if (mode !== undefined)
      throw refuse(
        ALERTMANAGER_VARIABLES.mode,
        mode,
        `unset, since ${ALERTMANAGER_VARIABLES.url} names yours`,
      );
    const parsed = plainHttpUrl(url);
    if (!parsed)
      throw refuse(ALERTMANAGER_VARIABLES.url, urlShown(url), 'an http(s) URL without credentials');
    return { mode: 'external', url: parsed.href.replace(/\/+$/, ''), routing };
  }
  if (mode === 'off') return { mode: 'off', routing };
  const portText = v(ALERTMANAGER_VARIABLES.port);
  const port = portText === undefined ? ALERTMANAGER_DEFAULTS.port : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535))
    throw refuse(ALERTMANAGER_VARIABLES.port, portText, 'a port from 1 to 65535, or 0 for a free one');
  return { mode: 'embedded', port, routing };
}
