import { renderMessage, type Message } from './messages.ts';

/**
 * Errors the platform reports to people. Each names what was wrong and how to fix it; the HTTP layer
 * maps `code` to a status, the CLI prints `message` and `details`.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'forbidden'
  /** Sent to a host name this server does not answer to (a DNS-rebinding guard): 421. */
  | 'misdirected'
  | 'conflict'
  | 'precondition_failed'
  | 'prerequisite_missing'
  | 'engine_unavailable'
  | 'flink_rejected'
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

export const notFound = (what: string, name: string, hint?: string): SluiceError =>
  new SluiceError('not_found', `${what} '${name}' does not exist${hint ? `: ${hint}` : ''}`, {
    [what]: name,
  });

export const invalid = (field: string, message: string): SluiceError =>
  new SluiceError('invalid_argument', `${field}: ${message}`, { field });
