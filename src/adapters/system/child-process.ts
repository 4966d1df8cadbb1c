import { spawn } from 'node:child_process';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/** How a program run by `runProcess` ended, with every line it wrote (stdout and stderr, in order). */
export interface ProcessRun {
  code: number | null;
  lines: string[];
  /** Killed because it ran past `timeoutMs`. */
  timedOut: boolean;
  /** Killed because the caller's signal was aborted. */
  stopped: boolean;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long; no limit when absent. */
  timeoutMs?: number;
  /** Each output line as it comes (colours removed, empty lines skipped). */
  onLine?: (line: string) => void;
  signal?: AbortSignal | undefined;
  /** The error when the program cannot be started at all (not found, not executable). */
  cannotRun?: (detail: string) => SluiceError;
}

/**
 * Runs a program with no input and collects its output line by line: the one way the platform runs
 * its build tools (mvn, git, jar, javac), so that timeouts, stopping, line splitting and the error of
 * a missing program behave the same for all of them.
 */
export function runProcess(cmd: string, args: string[], o: RunOptions): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a kill reaches what it started too (git's helpers, a shell's
    // children), which would otherwise hold the output open and keep the run from ending.
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const lines: string[] = [];
    let timedOut = false;
    let stopped = false;
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill();
          }, o.timeoutMs);
    const stop = () => {
      stopped = true;
      kill();
    };
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop, { once: true });
    const take = (raw: string) => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
      if (!line) return;
      lines.push(line);
      o.onLine?.(line);
    };
    // Each stream keeps its own partial line, so that interleaved chunks never split one in two.
    const reader = () => {
      let buffer = '';
      return {
        data: (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffer.search(/[\r\n]/)) >= 0) {
            take(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
        },
        end: () => take(buffer),
      };
    };
    const stdout = reader();
    const stderr = reader();
    child.stdout.on('data', stdout.data);
    child.stderr.on('data', stderr.data);
    const done = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', stop);
    };
    child.on('error', (e) => {
      done();
      reject(
        o.cannotRun?.(e.message) ??
          new SluiceError(
            'prerequisite_missing',
            message('system.cannotRun', { command: cmd, detail: e.message }),
          ),
      );
    });
    child.on('close', (code) => {
      done();
      stdout.end();
      stderr.end();
      resolve({ code, lines, timedOut, stopped });
    });
  });
}

/** Maven's JVM heap unless the caller's environment sets MAVEN_OPTS. */
export const withMavenOpts = (env: NodeJS.ProcessEnv, heap: string): NodeJS.ProcessEnv => ({
  ...env,
  MAVEN_OPTS: env.MAVEN_OPTS ?? `-Xmx${heap}`,
});
