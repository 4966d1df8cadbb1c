import type { ParseVerdict } from '../../domain/sql/parser-check.ts';

/** One engine's own SQL parser, running beside the platform (a JVM helper); started on first use. */
export interface SqlParserHelper {
  readonly pid: number | undefined;
  /** How long the last start took, spawn to ready, in ms. */
  readonly lastStartupMs: number | undefined;
  /** Starts the helper unless it runs; resolves when it is ready. */
  start(): Promise<void>;
  /** Flink's verdict on each statement, in order. */
  parse(statements: string[], timeoutMs?: number): Promise<ParseVerdict[]>;
  stop(graceMs?: number): Promise<void>;
}

export interface SqlParserLaunch {
  engineHome: string;
  sluiceHome: string;
  env?: NodeJS.ProcessEnv | undefined;
  startupTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  retryAfterMs?: number | undefined;
  log: (line: string) => void;
}

/** Builds (once per engine) and creates the parser helper of an engine; it starts on first use. */
export type SqlParserLauncher = (
  launch: SqlParserLaunch,
) => Promise<{ flinkVersion: string; helper: SqlParserHelper }>;
