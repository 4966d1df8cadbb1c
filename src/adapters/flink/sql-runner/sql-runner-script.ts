import fs from 'node:fs';
import type { SqlDeploymentPlan } from '../../../domain/sql/deployment-plan.ts';
import type { SqlStatement } from '../../../domain/sql/statements.ts';

/** The format the runner reads (SluiceSqlRunner.FORMAT); a change to the shape is a new format. */
export const SQL_RUNNER_FORMAT = 'sluice-sql-runner/1';

export interface SqlRunnerStatement {
  sql: string;
  /** Where the statement starts in the job's script; absent for statements Sluice made (catalogs). */
  line?: number;
  column?: number;
  /** How an error names a statement without a line: "catalog pg". */
  label?: string;
}

/** What the SQL runner jar is handed: the submission's plan, already split and checked by Sluice. */
export interface SqlRunnerScript {
  format: typeof SQL_RUNNER_FORMAT;
  /** Flink options, applied before any statement (a job id or savepoint Flink was given wins). */
  options: Record<string, string>;
  /** Jars (UDFs, connectors, formats) added with ADD JAR before any statement, as paths the JobManager reads. */
  jars: string[];
  catalogs: SqlRunnerStatement[];
  /** CREATE TABLE/VIEW/FUNCTION, USE, ... in script order. */
  setup: SqlRunnerStatement[];
  /** Every INSERT, run as one statement set: one Flink job. */
  inserts: SqlRunnerStatement[];
}

const fromScript = (s: SqlStatement): SqlRunnerStatement => ({ sql: s.text, line: s.line, column: s.column });

export function sqlRunnerScript(
  plan: SqlDeploymentPlan,
  extra: { catalogs?: { name: string; sql: string }[]; jars?: string[] } = {},
): SqlRunnerScript {
  return {
    format: SQL_RUNNER_FORMAT,
    options: { ...plan.options },
    jars: [...(extra.jars ?? [])],
    catalogs: (extra.catalogs ?? []).map((c) => ({ sql: c.sql, label: `catalog ${c.name}` })),
    setup: plan.setup.map(fromScript),
    inserts: plan.inserts.map(fromScript),
  };
}

/** Writes the script file the runner's one program argument names; readable by its owner only (secrets). */
export function writeSqlRunnerScript(file: string, script: SqlRunnerScript): void {
  fs.writeFileSync(file, `${JSON.stringify(script, null, 2)}\n`, { mode: 0o600 });
}
