import { invalid } from '../errors.ts';
import { message } from '../messages.ts';
import { MASK } from '../workspace/variables.ts';
import {
  ALERT_CHANNEL_TYPES,
  type AlertChannelSettings,
  type AlertChannelType,
} from './alert-notification.ts';

/**
 * A named channel alerts go through: its type and settings. Robot addresses carry their token
 * (DingTalk's access_token, WeCom's key, Lark's hook id), so they are secrets like the signing secret
 * and the SMTP password: sealed at rest, masked when read back.
 */
export interface AlertChannel {
  name: string;
  settings: AlertChannelSettings;
  createdAt: string;
  updatedAt: string;
}

/** What a client sends: the fields of every type, flat, as the CLI's flags name them. */
export interface AlertChannelInput {
  type: string;
  url?: string | null | undefined;
  secret?: string | null | undefined;
  host?: string | null | undefined;
  port?: number | null | undefined;
  tls?: boolean | null | undefined;
  username?: string | null | undefined;
  password?: string | null | undefined;
  from?: string | null | undefined;
  to?: string[] | null | undefined;
}

/** A channel as it is read back: the same flat fields, secrets masked, fields of other types null. */
export interface AlertChannelView {
  name: string;
  type: AlertChannelType;
  url: string | null;
  secret: string | null;
  host: string | null;
  port: number | null;
  tls: boolean | null;
  username: string | null;
  password: string | null;
  from: string | null;
  to: string[] | null;
  createdAt: string;
  updatedAt: string;
}

type Field = Exclude<keyof AlertChannelInput, 'type'>;

const FIELDS: Record<AlertChannelType, Field[]> = {
  webhook: ['url'],
  dingtalk: ['url', 'secret'],
  wecom: ['url'],
  lark: ['url', 'secret'],
  email: ['host', 'port', 'tls', 'username', 'password', 'from', 'to'],
};

/** The fields of a type kept sealed and shown masked. */
export const SECRET_FIELDS: Record<AlertChannelType, ('url' | 'secret' | 'password')[]> = {
  webhook: [],
  dingtalk: ['url', 'secret'],
  wecom: ['url'],
  lark: ['url', 'secret'],
  email: ['password'],
};

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

export function checkChannelName(name: string): void {
  if (!NAME.test(name)) throw invalid('name', message('alertChannel.badName', { name }));
}

export const isChannelType = (t: string): t is AlertChannelType =>
  (ALERT_CHANNEL_TYPES as readonly string[]).includes(t);

const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

function checkUrl(url: string | null | undefined, type: AlertChannelType): string {
  if (!given(url) || url.trim() === '') throw invalid('url', message('alertChannel.urlMissing', { type }));
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw invalid('url', message('alertChannel.badUrl', { type }));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw invalid('url', message('alertChannel.badUrl', { type }));
  return u.toString();
}

const text = (v: string | null | undefined): string | null => (given(v) && v.trim() !== '' ? v.trim() : null);

/**
 * The settings a client's input describes, checked field by field. A secret field left out (or sent
 * back masked) keeps the stored value of a channel of the same type, so an edit need not repeat it.
 */
export function channelSettings(
  input: AlertChannelInput,
  before: AlertChannelSettings | null,
): AlertChannelSettings {
  const type = input.type;
  if (!isChannelType(type))
    throw invalid('type', message('alertChannel.badType', { type, types: ALERT_CHANNEL_TYPES.join(', ') }));
  for (const f of Object.keys(input) as (keyof AlertChannelInput)[])
    if (f !== 'type' && given(input[f]) && !FIELDS[type].includes(f))
      throw invalid(
        f,
        message('alertChannel.notForType', { field: f, type, fields: FIELDS[type].join(', ') }),
      );
  const sameType = before?.type === type;
  const kept = <K extends 'url' | 'secret' | 'password'>(field: K): string | null | undefined => {
    const v = input[field];
    const stored = sameType ? (before as Partial<Record<K, string | null>>)[field] : undefined;
    // What was read back (the mask, or a robot address masked) stands for the stored value.
    const masked = v === MASK || (field === 'url' && typeof stored === 'string' && v === maskedUrl(stored));
    if (v !== undefined && !masked) return v;
    return sameType ? stored : masked ? undefined : v;
  };
  switch (type) {
    case 'webhook':
    case 'wecom':
      return { type, url: checkUrl(kept('url'), type) };
    case 'dingtalk':
    case 'lark':
      return { type, url: checkUrl(kept('url'), type), secret: text(kept('secret')) };
    case 'email': {
      const host = text(input.host);
      if (!host) throw invalid('host', message('alertChannel.hostMissing'));
      const tls = input.tls ?? true;
      const port = input.port ?? (tls ? 587 : 25);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw invalid('port', message('alertChannel.badPort', { port }));
      const from = text(input.from);
      if (!from) throw invalid('from', message('alertChannel.fromMissing'));
      if (!ADDRESS.test(from)) throw invalid('from', message('alertChannel.badAddress', { address: from }));
      const to = (input.to ?? []).map((a) => a.trim()).filter((a) => a !== '');
      if (!to.length) throw invalid('to', message('alertChannel.toMissing'));
      for (const a of to)
        if (!ADDRESS.test(a)) throw invalid('to', message('alertChannel.badAddress', { address: a }));
      const username = text(input.username);
      const password = text(kept('password'));
      if (password && !username) throw invalid('username', message('alertChannel.passwordWithoutUser'));
      return { type, host, port, tls, username, password, from, to };
    }
  }
}

/** A robot's address with its token masked: the host shows which robot service it is. */
export function maskedUrl(url: string): string {
  try {
    return `${new URL(url).origin}/${MASK}`;
  } catch {
    return MASK;
  }
}

/** The channel as it is read back: secrets masked (a set secret as the mask, an unset one null). */
export function channelView(c: AlertChannel): AlertChannelView {
  const s = c.settings;
  const view: AlertChannelView = {
    name: c.name,
    type: s.type,
    url: null,
    secret: null,
    host: null,
    port: null,
    tls: null,
    username: null,
    password: null,
    from: null,
    to: null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
  switch (s.type) {
    case 'webhook':
      return { ...view, url: s.url };
    case 'wecom':
      return { ...view, url: maskedUrl(s.url) };
    case 'dingtalk':
    case 'lark':
      return { ...view, url: maskedUrl(s.url), secret: s.secret ? MASK : null };
    case 'email':
      return {
        ...view,
        host: s.host,
        port: s.port,
        tls: s.tls,
        username: s.username,
        password: s.password ? MASK : null,
        from: s.from,
        to: s.to,
      };
  }
}
