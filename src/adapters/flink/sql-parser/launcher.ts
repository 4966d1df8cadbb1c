import type { SqlParserLauncher } from '../../../application/ports/sql-parser.ts';
import { ensureSqlParserHelper, HELPER_MAIN_CLASS } from './sql-parser-build.ts';
import { SqlParserProcess } from './sql-parser-process.ts';

/** Flink's SQL parser as a JVM helper compiled against the engine's own jars (built once per engine). */
export const launchSqlParser: SqlParserLauncher = async (launch) => {
  const built = await ensureSqlParserHelper({
    engineHome: launch.engineHome,
    sluiceHome: launch.sluiceHome,
    env: launch.env,
    progress: launch.log,
  });
  const helper = new SqlParserProcess({
    name: `Flink ${built.flinkVersion}'s SQL parser`,
    java: built.java,
    classpath: built.classpath,
    mainClass: HELPER_MAIN_CLASS,
    jvmOptions: built.jvmOptions,
    env: launch.env,
    startupTimeoutMs: launch.startupTimeoutMs,
    requestTimeoutMs: launch.requestTimeoutMs,
    retryAfterMs: launch.retryAfterMs,
    log: launch.log,
  });
  return { flinkVersion: built.flinkVersion, helper };
};
