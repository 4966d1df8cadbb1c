import { fillTemplate, isMessage, MESSAGES, type Message } from '../../../domain/messages.ts';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Parameters whose values are the platform's own words: said in the user's language too. */
const WORDS: Record<string, string> = {
  state: 'state.',
  kind: 'submission.kind.',
  step: 'step.',
  command: 'command.',
  submissionInFlight: 'submissionInFlight.',
};

/**
 * A message from the server in the user's language: its code's template there (the English one,
 * from the same catalog the server renders, when there is none), with each parameter filled in; a
 * parameter that is a message is said the same way. Flink's own words (causes, states) stay Flink's.
 */
export function messageText(t: Translate, m: Message): string {
  const template = t(`msg.${m.code}`, { defaultValue: '' }) || MESSAGES[m.code] || m.code;
  const params: Record<string, string> = {};
  for (const [name, v] of Object.entries(m.params)) {
    if (isMessage(v)) params[name] = messageText(t, v);
    else if (WORDS[name] && typeof v === 'string')
      params[name] = t(`${WORDS[name]}${v}`, { defaultValue: v });
    else params[name] = String(v);
  }
  return fillTemplate(template, params, (inner) => messageText(t, inner));
}

/** An error body of the API (or an operation's error) as the user reads it: its code, else its text. */
export const errorText = (
  t: Translate,
  e: {
    message: string;
    messageCode?: Message['code'] | undefined;
    messageParams?: Message['params'] | undefined;
  },
): string =>
  e.messageCode ? messageText(t, { code: e.messageCode, params: e.messageParams ?? {} }) : e.message;

/** A reason as the user reads it: its code in their language, or the text kept before codes existed. */
export const reasonText = (t: Translate, text: string | null, coded: Message | null): string =>
  coded ? messageText(t, coded) : (text ?? '');
