import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message, renderMessage, type Message } from '../../../domain/messages.ts';
import type { ParseVerdict } from '../../../domain/sql/parser-check.ts';

export interface SqlParserProcessOptions {
  java: string;
  classpath: string[];
  mainClass: string;
  jvmOptions?: string[];
  /** What the helper is, in messages: "Flink 1.20.3's SQL parser". */
  name: string;
  /** From spawn to the helper's ready line. */
  startupTimeoutMs?: number;
  /** From a request to its answer; a helper that misses it is killed (and started again on the next request). */
  requestTimeoutMs?: number;
  /** After a failed start, requests fail at once with that error for this long instead of starting a JVM each time. */
  retryAfterMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Lifecycle lines: started, exited, restarted. */
  log?: (line: string) => void;
}

interface Pending {
  resolve: (v: ParseVerdict[]) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived JVM running Flink's SQL parser (java/SluiceSqlParser.java), spoken to in JSON lines.
 * Started on first use (or by `start()` to warm it), requests multiplexed by id, started again on the
 * next request after it died or missed a deadline, stopped by `stop()`. The child and its pipes do
 * not keep Node alive; when Node exits the helper reads EOF and ends too.
 */
export class SqlParserProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail: string[] = [];
  private stopping = false;
  private failedStart: { at: number; error: Error } | undefined;
  /** Starts so far (1 = never restarted). */
  starts = 0;
  /** How long the last start took, spawn to ready, in ms. */
  lastStartupMs: number | undefined;

  constructor(private readonly opts: SqlParserProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the JVM unless it runs; resolves when it answered that it is ready. */
  start(): Promise<void> {
    if (this.ready && this.running) return this.ready;
    const f = this.failedStart;
    if (f && Date.now() - f.at < (this.opts.retryAfterMs ?? 30_000)) return Promise.reject(f.error);
    this.stopping = false;
    const ready = this.spawnHelper();
    this.ready = ready;
    // A failed start is reported to whoever waits on it; a call after retryAfterMs tries again.
    ready.then(
      () => (this.failedStart = undefined),
      (error: Error) => (this.failedStart = { at: Date.now(), error }),
    );
    return ready;
  }

  /** Flink's verdict on each statement, in order. */
  async parse(
    statements: string[],
    timeoutMs = this.opts.requestTimeoutMs ?? 10_000,
  ): Promise<ParseVerdict[]> {
    if (statements.length === 0) return [];
    await this.start();
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<ParseVerdict[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new SluiceError(
            'engine_unavailable',
            message('parser.timeout', {
              name: this.opts.name,
              seconds: timeoutMs / 1000,
              count: statements.length,
            }),
            { timeout: true },
          ),
        );
        // A helper that missed a deadline may be stuck: later requests would queue behind it.
        this.kill(child);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ id, statements })}\n`);
    });
  }

  /** Ends the helper: EOF first (it exits by itself), then SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private kill(child: ChildProcessWithoutNullStreams): void {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private spawnHelper(): Promise<void> {
    const o = this.opts;
    const t0 = performance.now();
    const child = spawn(
      o.java,
      [...(o.jvmOptions ?? []), '-cp', o.classpath.join(path.delimiter), o.mainClass],
      { env: o.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.starts++;
    this.stderrTail = [];
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr])
      (s as unknown as { unref?: () => void }).unref?.();
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (said: Message) => {
        if (settled) return;
        settled = true;
        clearTimeout(startTimer);
        this.kill(child);
        reject(new SluiceError('engine_unavailable', said));
      };
      const startTimer = setTimeout(
        () =>
          fail(
            message('parser.startTimeout', { name: o.name, seconds: (o.startupTimeoutMs ?? 60_000) / 1000 }),
          ),
        o.startupTimeoutMs ?? 60_000,
      );
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          let msg: { ready?: boolean; id?: number; results?: ParseVerdict[]; error?: string };
          try {
            msg = JSON.parse(line) as typeof msg;
          } catch {
            this.stderrTail.push(`(stdout) ${line}`);
            continue;
          }
          if (msg.ready) {
            settled = true;
            clearTimeout(startTimer);
            this.lastStartupMs = Math.round(performance.now() - t0);
            o.log?.(
              `${o.name} started (pid ${child.pid}, ready in ${this.lastStartupMs} ms${this.starts > 1 ? `, start ${this.starts}` : ''})`,
            );
            resolve();
            continue;
          }
          const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
          if (!p) continue;
          this.pending.delete(msg.id!);
          clearTimeout(p.timer);
          if (msg.results) p.resolve(msg.results);
          else
            p.reject(
              new SluiceError(
                'internal',
                message('parser.refused', { name: o.name, detail: msg.error ?? '?' }),
              ),
            );
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        this.stderrTail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        if (this.stderrTail.length > 20) this.stderrTail.splice(0, this.stderrTail.length - 20);
      });
      child.on('error', (e) =>
        fail(message('parser.cannotStart', { name: o.name, java: o.java, detail: e.message })),
      );
      child.on('close', (code, signal) => {
        const how = signal ?? `code ${code}`;
        const why = this.stderrTail.length
          ? message('parser.exitedSaying', {
              name: o.name,
              how,
              stderr: this.stderrTail.slice(-5).join(' | '),
            })
          : message('parser.exited', { name: o.name, how });
        fail(why);
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new SluiceError('engine_unavailable', message('parser.exitedRestart', { why })));
          this.pending.delete(id);
        }
        if (this.child === child) this.child = undefined;
        if (!this.stopping) o.log?.(renderMessage(why));
      });
    });
  }
}
