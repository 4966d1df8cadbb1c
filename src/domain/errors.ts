import { message, renderMessage, type Message, type MessageParam } from './messages.ts';

/**
 * Errors the platform reports to people. Each names what was wrong and how to fix it; the HTTP layer
 * maps `code` to a status, the CLI prints `message` and `details`.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  /** No credentials, or ones that are no longer valid: 401. */
  | 'unauthenticated'
  | 'forbidden'
  /** Sent to a host name this server does not answer to (a DNS-rebinding guard): 421. */
  | 'misdirected'
  | 'conflict'
  | 'precondition_failed'
  | 'prerequisite_missing'
  | 'engine_unavailable'
  /** The LDAP directory users sign in through does not answer, or refuses the search account: 503. */
  | 'directory_unavailable'
  /** The OpenID Connect provider users sign in through does not answer, or answers what cannot be used: 503. */
  | 'provider_unavailable'
  | 'flink_rejected'
  /** A receiver of alert messages (a robot, a webhook, an SMTP server) refused or did not answer: 502. */
  | 'receiver_refused'
  | 'internal';

export class SluiceError extends Error {
  /** The message as a code with parameters, for the console to say in the user's language. */
  readonly text: Message | null;

  constructor(
    readonly code: ErrorCode,
    message: string | Message,
    readonly details: Record<string, unknown> = {},
  ) {
    super(typeof message === 'string' ? message : renderMessage(message));
    this.name = 'SluiceError';
    this.text = typeof message === 'string' ? null : message;
  }
}

/** What an error says, as a message where it has one (to nest in another message), else its text. */
export const saidBy = (e: unknown): MessageParam =>
  e instanceof SluiceError && e.text ? e.text : e instanceof Error ? e.message : String(e);

/** What an error says as a message, wherever it gives one at all (text it did not word is a parameter). */
export const codedOf = (e: unknown): Message => {
  const said = saidBy(e);
  return typeof said === 'object' ? said : message('platform.unexpected', { detail: said });
};

/** A resource that does not exist; `text` names it and says how to find or make one. */
export const notFound = (what: string, name: string, text: Message): SluiceError =>
  new SluiceError('not_found', text, { [what]: name });

/** A wrong value of one field of a request, said as `<field>: <problem>`. */
export const invalid = (field: string, problem: Message): SluiceError =>
  new SluiceError('invalid_argument', message('invalid.field', { field, problem }), { field });
