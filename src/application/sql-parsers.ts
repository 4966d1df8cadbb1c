import { engineKey } from '../domain/engines/engine.ts';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import type { ParseVerdict } from '../domain/sql/parser-check.ts';
import type { SqlParserHelper, SqlParserLauncher } from './ports/sql-parser.ts';
import type { EngineService } from './engine-service.ts';

export interface SqlParsersOptions {
  /** The Sluice home (helpers of engines Sluice did not assemble are built there). */
  home: string;
  env?: NodeJS.ProcessEnv;
  log?: { info: (msg: string) => void; warn: (msg: string) => void };
  startupTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** After a failed build or start, fail fast for this long instead of trying again on every keystroke. */
  retryAfterMs?: number;
}

const CACHE_LIMIT = 5000;

/**
 * Flink's own SQL parser per engine version, each a long-lived JVM helper (SqlParserHelper) built
 * against that engine's jars on first use. Verdicts are cached by statement text: the editor sends
 * the whole script on every pause, and most statements did not change.
 */
export class SqlParsers {
  private readonly helpers = new Map<string, Promise<{ flinkVersion: string; process: SqlParserHelper }>>();
  private readonly failures = new Map<string, { at: number; error: Error }>();
  private readonly cache = new Map<string, ParseVerdict>();
  private closed = false;

  constructor(
    private readonly engines: EngineService,
    private readonly launch: SqlParserLauncher,
    private readonly opts: SqlParsersOptions,
  ) {}

  /** Flink's verdict on each statement with the parser of `version` (an engine key such as 1.20). */
  async parse(
    version: string,
    statements: string[],
  ): Promise<{ flinkVersion: string; verdicts: ParseVerdict[] }> {
    const { flinkVersion, process } = await this.helper(engineKey(version));
    const key = (s: string) => `${flinkVersion}\u0000${s}`;
    const missing = [...new Set(statements.filter((s) => !this.cache.has(key(s))))];
    if (missing.length) {
      const verdicts = await process.parse(missing);
      missing.forEach((s, i) => this.remember(key(s), verdicts[i]!));
    }
    return { flinkVersion, verdicts: statements.map((s) => this.cache.get(key(s))!) };
  }

  /** Builds and starts the helper of `version` in the background, so the first check does not wait. */
  warm(version: string): void {
    const t0 = performance.now();
    // Called when an engine was just installed: what failed before may work now.
    this.failures.delete(engineKey(version));
    this.helper(engineKey(version))
      .then(({ process }) => process.start())
      .then(() =>
        this.opts.log?.info(
          `Flink ${version}'s SQL parser is warm (${Math.round(performance.now() - t0)} ms)`,
        ),
      )
      .catch((e: Error) =>
        this.opts.log?.warn(
          `Flink ${version}'s SQL parser could not be started: ${e.message}; syntax checks use the grammar alone`,
        ),
      );
  }

  /** The running helper of an engine version, for tests and measurements. */
  async process(version: string): Promise<SqlParserHelper> {
    return (await this.helper(engineKey(version))).process;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.helpers.values()];
    this.helpers.clear();
    await Promise.all(
      all.map((h) =>
        h.then(
          ({ process }) => process.stop(),
          () => undefined,
        ),
      ),
    );
  }

  private remember(key: string, verdict: ParseVerdict): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, verdict);
  }

  private helper(version: string): Promise<{ flinkVersion: string; process: SqlParserHelper }> {
    if (this.closed)
      return Promise.reject(new SluiceError('engine_unavailable', message('platform.closing')));
    const failed = this.failures.get(version);
    if (failed && Date.now() - failed.at < (this.opts.retryAfterMs ?? 30_000))
      return Promise.reject(failed.error);
    let h = this.helpers.get(version);
    if (!h) {
      h = this.create(version);
      this.helpers.set(version, h);
      h.catch((e: Error) => {
        this.helpers.delete(version);
        // A build that failed fails again; an engine that is not installed yet may be in a moment.
        if (!(e instanceof SluiceError && e.code === 'not_found'))
          this.failures.set(version, { at: Date.now(), error: e });
      });
    }
    return h;
  }

  private async create(version: string): Promise<{ flinkVersion: string; process: SqlParserHelper }> {
    const engine = await this.engines.get(version);
    const { flinkVersion, helper } = await this.launch({
      engineHome: engine.home,
      sluiceHome: this.opts.home,
      env: this.opts.env,
      startupTimeoutMs: this.opts.startupTimeoutMs,
      requestTimeoutMs: this.opts.requestTimeoutMs,
      retryAfterMs: this.opts.retryAfterMs,
      log: (l) => this.opts.log?.info(l),
    });
    if (this.closed) throw new SluiceError('engine_unavailable', message('platform.closing'));
    return { flinkVersion, process: helper };
  }
}
