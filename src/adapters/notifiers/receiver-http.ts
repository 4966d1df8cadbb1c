import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { AlertChannelType } from '../../domain/alerts/alert-notification.ts';

/** How long a receiver may take to answer one message. */
const TIMEOUT_MS = 15_000;

/** What a receiver answered: its HTTP status and body (JSON when it is JSON). */
export interface ReceiverAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** The host of a receiver's address, for messages: robot addresses carry their token elsewhere. */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
};

export const refused = (type: AlertChannelType, answer: string): SluiceError =>
  new SluiceError('receiver_refused', message('alertChannel.refused', { type, answer }), { answer });

export const unreachable = (type: AlertChannelType, host: string, detail: string): SluiceError =>
  new SluiceError('receiver_refused', message('alertChannel.unreachable', { type, host, detail }), {
    host,
  });

/** The body as a receiver's answer is said: its first 300 characters. */
const short = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** Posts JSON; an answer other than 2xx is a refusal naming the status and the body. */
export async function postJson(type: AlertChannelType, url: string, body: unknown): Promise<ReceiverAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    throw unreachable(type, hostOf(url), cause?.code ?? cause?.message ?? (e as Error).message);
  }
  const text = await res.text();
  if (res.status < 200 || res.status > 299) throw refused(type, `HTTP ${res.status}: ${short(text)}`);
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the generic webhook may answer anything.
  }
  return { status: res.status, text: short(text), json };
}

/**
 * The robots answer HTTP 200 with a code in the body: `{errcode, errmsg}` (DingTalk, WeCom) or
 * `{code, msg}` (Lark; its older answers say `StatusCode`). Anything but 0 is a refusal.
 */
export function robotAnswer(type: AlertChannelType, answer: ReceiverAnswer): string {
  const j = (answer.json ?? {}) as Record<string, unknown>;
  const code = j.errcode ?? j.code ?? j.StatusCode;
  const said = j.errmsg ?? j.msg ?? j.StatusMessage;
  if (code === undefined) throw refused(type, `HTTP ${answer.status} without a result code: ${answer.text}`);
  const text = `${'errcode' in j ? 'errcode' : 'code'} ${String(code)}${said === undefined ? '' : ` (${String(said)})`}`;
  if (code !== 0) throw refused(type, text);
  return text;
}
