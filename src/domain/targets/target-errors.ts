import { SluiceError } from '../errors.ts';
import { message, type Message } from '../messages.ts';

/**
 * What a deployment target can throw, in the domain's words: the application catches these, never an
 * adapter's own classes (a gateway's, a REST client's), so that any target kind can throw them.
 */

/** The target refused a statement or a job: its root cause (Flink's own words, never translated) and its trace. */
export class StatementRefused extends SluiceError {
  constructor(
    readonly rootCause: string,
    readonly trace: string,
    said: Message = message('flink.cause', { cause: rootCause }),
  ) {
    super('flink_rejected', said, { rootCause });
  }
}

/** A savepoint the target was asked for failed; the trace says why. */
export class SavepointFailed extends SluiceError {
  constructor(readonly trace: string) {
    super('flink_rejected', message('flink.savepointFailed'), { trace });
  }

  get rootCause(): string {
    return rootCauseOf(this.trace);
  }
}

/** Wrappers that say nothing about the cause: the gateway's own plumbing. */
const WRAPPERS = [
  /SqlGatewayException/,
  /SqlExecutionException: Failed to execute the operation/,
  /Internal server error/,
  /Exception on server side/,
  /Failed to fetchResults/,
];

/**
 * The innermost meaningful exception message of a Java stack trace: the last `Caused by:` that is not
 * gateway plumbing, without its class name when the message stands alone.
 */
export function rootCauseOf(trace: string): string {
  const lines = trace.split('\n');
  const causes: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const m = /^(?:Caused by: )?([\w$.]+(?:Exception|Error)): ?(.*)$/.exec(line);
    if (!m) continue;
    // A message can span lines until the first stack frame.
    let message = m[2] ?? '';
    for (let j = i + 1; j < lines.length && !/^\s*(at |Caused by:|\.\.\. \d+ more)/.test(lines[j]!); j++)
      message += `\n${lines[j]!.trimEnd()}`;
    // Calcite lists every token it would have taken (a hundred lines): the trace keeps them.
    message = message.replace(/\n\s*Was expecting(?: one of)?:[\s\S]*$/, '');
    causes.push(`${m[1]}: ${message.trim()}`);
  }
  const meaningful = causes.filter((c) => !WRAPPERS.some((w) => w.test(c)) && !/: $/.test(c));
  // Calcite's parser exceptions repeat the Flink message above them in other words; skip them.
  const own = meaningful.filter((c) => !c.startsWith('org.apache.calcite.'));
  const pick = own.at(-1) ?? meaningful.at(-1) ?? causes.at(-1) ?? trace.split('\n')[0] ?? 'unknown error';
  return pick.replace(/^[\w$.]+\.(\w+(?:Exception|Error)): /, '$1: ');
}
