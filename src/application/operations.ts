import { randomUUID } from 'node:crypto';
import { codedOf, SluiceError } from '../domain/errors.ts';
import type { MessageCode, MessageParam } from '../domain/messages.ts';
import { maskKnownSecrets, maskSecretsIn } from './secret-masking.ts';

/**
 * Long-running actions (engine install, cluster start, job start) run in the background; the API
 * answers at once with the operation and clients follow its progress lines.
 */
export interface Operation {
  id: string;
  kind: string;
  subject: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  lines: { at: string; text: string }[];
  /** Why it failed: in English, and as a message code with parameters where it has one. */
  error: {
    code: string;
    message: string;
    details: Record<string, unknown>;
    messageCode?: MessageCode;
    messageParams?: Record<string, MessageParam>;
  } | null;
  result: unknown;
}

export type Progress = (line: string) => void;

export class Operations {
  private readonly ops = new Map<string, Operation>();
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly log: (op: Operation, line: string) => void = () => {}) {}

  /**
   * Starts `fn`, or returns the operation already running for the same kind and subject. `logged`
   * says which progress lines also go to the server's log (default: all); an operation whose lines
   * are a tool's whole output (a Maven build) keeps them all but logs only its own.
   */
  start(
    kind: string,
    subject: string,
    fn: (progress: Progress) => Promise<unknown>,
    logged: (line: string) => boolean = () => true,
  ): Operation {
    const inFlight = [...this.ops.values()].find(
      (o) => o.kind === kind && o.subject === subject && o.status === 'running',
    );
    if (inFlight) return inFlight;
    const op: Operation = {
      id: randomUUID(),
      kind,
      subject,
      status: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      lines: [],
      error: null,
      result: null,
    };
    this.ops.set(op.id, op);
    const progress: Progress = (line) => {
      const text = maskKnownSecrets(line);
      op.lines.push({ at: new Date().toISOString(), text });
      if (logged(text)) this.log(op, text);
    };
    const done = fn(progress).then(
      (result) => Object.assign(op, { status: 'succeeded', result, finishedAt: new Date().toISOString() }),
      (e: unknown) => {
        const err = e instanceof SluiceError ? e : new SluiceError('internal', codedOf(e));
        Object.assign(op, {
          status: 'failed',
          finishedAt: new Date().toISOString(),
          error: maskSecretsIn({
            code: err.code,
            message: err.message,
            details: err.details,
            ...(err.text ? { messageCode: err.text.code, messageParams: err.text.params } : {}),
          }),
        });
        this.log(op, `failed: ${op.error!.message}`);
      },
    );
    this.running.set(
      op.id,
      done.finally(() => this.running.delete(op.id)),
    );
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id);
  }

  /** Resolves when the operation has ended (used by shutdown and tests). */
  async settled(id: string): Promise<Operation> {
    await this.running.get(id);
    return this.ops.get(id)!;
  }

  async settleAll(): Promise<void> {
    await Promise.all(this.running.values());
  }
}
