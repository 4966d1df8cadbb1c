import { Type, type Static } from 'typebox';
import { ALERT_CHANNEL_TYPES, type AlertChannelType } from '../domain/alerts/alert-notification.ts';
import { ErrorBody, errors } from './common.ts';
import { operation } from './operation.ts';

/** The channels alert messages go through: DingTalk, WeCom and Lark robots, email, a generic webhook. */

const ChannelType = Type.Unsafe<AlertChannelType>(
  Type.Union(
    ALERT_CHANNEL_TYPES.map((t) => Type.Literal(t)),
    { description: ALERT_CHANNEL_TYPES.join(', ') },
  ),
);
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });

export const AlertChannelBody = Type.Object({
  name: Type.String(),
  type: ChannelType,
  url: nullable(
    Type.String(),
    'where messages are posted (robots, webhook); a robot’s address carries its token and shows masked (https://host/******)',
  ),
  secret: nullable(Type.String(), 'DingTalk/Lark signing secret: ****** when set, null when signing is off'),
  host: nullable(Type.String(), 'email: the SMTP server'),
  port: nullable(Type.Integer(), 'email: the SMTP port'),
  tls: nullable(
    Type.Boolean(),
    'email: STARTTLS (or implicit TLS on 465); false only for a local test server',
  ),
  username: nullable(Type.String(), 'email: the SMTP user'),
  password: nullable(Type.String(), 'email: ****** when set'),
  from: nullable(Type.String(), 'email: the sender address'),
  to: nullable(Type.Array(Type.String()), 'email: the recipients'),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const text = (max: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()], { description }));

export const AlertChannelInputBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 32, description: ALERT_CHANNEL_TYPES.join(', ') }),
    url: text(2048, 'robots and webhook: the address to post to (http or https)'),
    secret: text(
      512,
      'DingTalk/Lark: the signing secret ("加签"/"签名校验"); left out or ****** keeps the stored one, null turns signing off',
    ),
    host: text(255, 'email: the SMTP server'),
    port: Type.Optional(
      Type.Union([Type.Integer(), Type.Null()], { description: 'email: default 587 (25 without TLS)' }),
    ),
    tls: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'email: default true' })),
    username: text(255, 'email: the SMTP user'),
    password: text(512, 'email: the SMTP password; left out or ****** keeps the stored one'),
    from: text(255, 'email: the sender address'),
    to: Type.Optional(
      Type.Union([Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 }), Type.Null()], {
        description: 'email: the recipients',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AlertChannelTestBody = Type.Object({
  channel: Type.String(),
  type: ChannelType,
  sent: Type.Integer({ description: 'requests (robots, webhook) or mails sent' }),
  batched: Type.Integer({ description: 'notifications merged into fewer messages by the rate limit' }),
  answer: Type.String({
    description: 'what the receiver answered: result code, HTTP status and body, or SMTP reply',
  }),
});

const ChannelName = Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) });
const tags = ['alerts'];

export const alertChannels = {
  list: operation('GET', '/alert-channels', {
    tags,
    summary: 'Alert channels; robot addresses and secrets show masked',
    response: { 200: Type.Array(AlertChannelBody) },
  }),
  get: operation('GET', '/alert-channels/:name', {
    tags,
    summary: 'An alert channel; robot addresses and secrets show masked',
    params: ChannelName,
    response: { 200: AlertChannelBody, ...errors },
  }),
  put: operation('PUT', '/alert-channels/:name', {
    tags,
    summary:
      'Create or replace an alert channel. Robot addresses, signing secrets and the SMTP password are stored encrypted; a bad URL, an unknown type, a setting of another type or an email without recipients is a 400 naming the field',
    params: ChannelName,
    body: AlertChannelInputBody,
    response: { 200: AlertChannelBody, ...errors },
  }),
  remove: operation('DELETE', '/alert-channels/:name', {
    tags,
    summary: 'Delete an alert channel',
    params: ChannelName,
    response: { 204: Type.Null(), ...errors },
  }),
  test: operation('POST', '/alert-channels/:name/test', {
    tags,
    summary:
      'Send a test message through the channel and answer what the receiver said; a refusal or an unreachable receiver is a 502 naming its answer',
    params: ChannelName,
    response: { 200: AlertChannelTestBody, ...errors, 502: ErrorBody },
  }),
};

export type AlertChannel = Static<typeof AlertChannelBody>;
export type AlertChannelInput = Static<typeof AlertChannelInputBody>;
export type AlertChannelTest = Static<typeof AlertChannelTestBody>;
