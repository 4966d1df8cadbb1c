import { checkSyntax, jobScriptProblems, type SqlProblem, type SyntaxReport } from '../domain/sql/syntax.ts';
import { judgeWithParser, maskReferences, type GrammarGap } from '../domain/sql/parser-check.ts';
import {
  parseSet,
  splitStatements,
  statementSetInserts,
  type SqlStatement,
} from '../domain/sql/statements.ts';
import { StatementRefused } from '../domain/targets/target-errors.ts';
import { workbenchOf } from '../domain/targets/deployment-target.ts';
import type { TargetService } from './target-service.ts';
import type { Workspace } from './workspace.ts';
import type { EngineService } from './engine-service.ts';
import type { SqlParsers } from './sql-parsers.ts';
import { maskSecretsIn } from './secret-masking.ts';
import { addJobJars } from './job-jars.ts';
import type { ArtifactRef } from '../domain/artifacts/artifact.ts';

export interface PlannerReport {
  /** True when Flink planned every INSERT and query of the script. */
  ok: boolean;
  /** The deployment target whose session cluster planned it. */
  target: string;
  problems: SqlProblem[];
  /** The optimized plan of each INSERT or query, by the line it starts on. */
  plans: { line: number; statement: string; plan: string }[];
}

/** Where the combined check reports the grammar's gaps, so they can be reported upstream. */
export interface GrammarGapLog {
  gap(fields: GrammarGap & { engine: string; count: number }, message: string): void;
}

/**
 * SQL development services: syntax checks as the user types (the grammar at once, judged by Flink's
 * own parser of the engine), the real planner on demand.
 */
export class SqlService {
  /** Grammar complaints Flink's parser overruled, since start, by statement kind and grammar message. */
  readonly grammarGaps = new Map<string, number>();

  constructor(
    private readonly targets: TargetService,
    private readonly workspace: Workspace,
    private readonly parsing?: {
      parsers: SqlParsers;
      engines: EngineService;
      defaultEngine: string;
      log?: GrammarGapLog;
    },
  ) {}

  /**
   * Syntax problems of a script: the grammar's errors where Flink's SQL parser of `engineVersion`
   * (default: the default engine) agrees, Flink's own where the grammar saw none, Sluice's job rules
   * with `asJob`, and every `${name}` that names no workspace variable. Without Flink's parser (no
   * engine, no JDK) the grammar stands alone and the report says so.
   */
  async validate(
    sql: string,
    asJob = false,
    engineVersion?: string,
    /** The space the script is (or will be) in: its variables and its file folders judge it. */
    space?: string | null,
  ): Promise<SyntaxReport> {
    const report = checkSyntax(sql);
    await this.judge(sql, report, engineVersion);
    if (asJob && !report.problems.some((p) => p.severity === 'error'))
      report.problems.push(...jobScriptProblems(sql));
    for (const r of await this.workspace.variables.undefinedReferences(sql))
      report.problems.push({
        severity: 'error',
        source: 'platform',
        line: r.line,
        column: r.column,
        endLine: r.line,
        endColumn: r.column + r.name.length + 3,
        text: `\${${r.name}}`,
        message: `variable \${${r.name}} is not defined: define it with \`sluice variable set ${r.name} <value>\``,
      });
    report.problems.push(
      ...(await this.workspace.files.problems(
        sql,
        space,
        (await this.workspace.variables.forLineage(space)).value,
      )),
    );
    report.problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return report;
  }

  /** Replaces the grammar's findings in `report` by the combined check's, when Flink's parser answers. */
  private async judge(sql: string, report: SyntaxReport, engineVersion: string | undefined): Promise<void> {
    const engine =
      engineVersion ?? (await this.parsing?.engines.default())?.version ?? this.parsing?.defaultEngine ?? '';
    if (!this.parsing) {
      report.parser = { engine, used: false, reason: "Flink's SQL parser is not configured" };
      return;
    }
    const statements = splitStatements(sql);
    try {
      const { flinkVersion, verdicts } = await this.parsing.parsers.parse(
        engine,
        statements.map((s) => maskReferences(s.text)),
      );
      const judged = judgeWithParser(statements, report.problems, verdicts);
      report.problems = judged.problems;
      report.parser = { engine, flinkVersion, used: true };
      for (const g of judged.gaps) {
        const key = `${g.kind}\u0000${g.grammarMessage}`;
        const count = (this.grammarGaps.get(key) ?? 0) + 1;
        this.grammarGaps.set(key, count);
        this.parsing.log?.gap(
          { ...g, engine, count },
          `grammar gap: Flink ${flinkVersion}'s parser accepts a ${g.kind} statement the grammar rejects (${g.grammarMessage})`,
        );
      }
    } catch (e) {
      const reason = (e as Error).message;
      report.parser = { engine, used: false, reason };
      report.problems.unshift({
        severity: 'info',
        source: 'platform',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 2,
        text: '',
        message: `checked by the grammar alone, whose errors may be wrong: Flink ${engine}'s SQL parser is not available (${reason})`,
      });
    }
  }

  /**
   * Runs the script through the SQL Gateway of a session cluster up to planning: options, setup
   * statements, then EXPLAIN of every INSERT and query. No job is started.
   */
  async explain(
    script: string,
    opts: {
      target?: string | undefined;
      options?: Record<string, string> | undefined;
      catalogs?: string[] | undefined;
      /** Artifacts added to the session first: `name`, `name@version` or exact references. */
      artifacts?: readonly (string | ArtifactRef)[] | undefined;
      /** The space it runs in: only its variables are substituted. */
      space?: string | null | undefined;
    } = {},
  ): Promise<PlannerReport> {
    const resolved = await this.workspace.variables.resolve(script, opts.options ?? {}, opts.space);
    const sql = resolved.sql;
    const catalogs = await this.workspace.catalogs.statements(opts.catalogs ?? []);
    await this.workspace.files.check([sql], opts.space);
    const jars = await this.workspace.artifacts.jobJars(
      await this.workspace.artifacts.pin(opts.artifacts ?? []),
      false,
    );
    // Left out, in any space: the default engine's session cluster, as for an application target's
    // jobs (no SQL Gateway there); a planner run ends with its EXPLAIN and is no job of the space.
    const targetName = opts.target ?? (await this.targets.defaultFor());
    const target = await this.targets.target(targetName);
    await target.prepare(() => {});
    // The job's options are the session's from its start: one request, whatever their number.
    const session = await workbenchOf(target).openSqlSession('sluice-explain', resolved.options);
    const report: PlannerReport = { ok: true, target: targetName, problems: [], plans: [] };
    try {
      await addJobJars(session, jars, target);
      for (const c of catalogs) await session.execute(c.statement);
      for (const stmt of splitStatements(sql)) {
        const planned = stmt.kind === 'statement_set' ? statementSetInserts(stmt) : [stmt];
        for (const s of planned) {
          try {
            if (s.kind === 'insert' || s.kind === 'query') {
              const r = await session.execute(`${EXPLAIN}${s.text}`);
              // The statement and its plan quote the substituted script: masked as they arrive.
              report.plans.push(
                maskSecretsIn({
                  line: s.line,
                  statement: s.text.split('\n')[0]!.slice(0, 120),
                  plan: String(r.rows[0]?.fields[0] ?? ''),
                }),
              );
            } else if (s.kind === 'set' && !parseSet(s.text)) {
              continue; // a bare SET only lists options
            } else if (s.kind !== 'begin_statement_set' && s.kind !== 'end') {
              await session.execute(s.text);
            }
          } catch (e) {
            if (!(e instanceof StatementRefused)) throw e;
            report.ok = false;
            const explained = s.kind === 'insert' || s.kind === 'query';
            report.problems.push(
              maskSecretsIn(plannerProblem(s, e.rootCause, explained ? EXPLAIN.length : 0)),
            );
            // Later statements would only repeat this error (a table that was not created...).
            return report;
          }
        }
      }
      return report;
    } finally {
      await session.close();
    }
  }
}

const EXPLAIN = 'EXPLAIN ';

/**
 * Flink names positions relative to the statement it received ("From line 2, column 8 to line 2,
 * column 11"); `prefix` is what Sluice put before the statement on its first line (EXPLAIN).
 */
export function plannerProblem(stmt: SqlStatement, rootCause: string, prefix = 0): SqlProblem {
  const m = /(?:From )?line (\d+), column (\d+)(?: to line (\d+), column (\d+))?/.exec(rootCause);
  const toScript = (l: number, c: number) => ({
    line: stmt.line + l - 1,
    column: l === 1 ? stmt.column + c - 1 - prefix : c,
  });
  const start = m ? toScript(Number(m[1]), Number(m[2])) : { line: stmt.line, column: stmt.column };
  const end =
    m && m[3] ? toScript(Number(m[3]), Number(m[4]) + 1) : { line: start.line, column: start.column + 1 };
  const lines = stmt.text.split('\n');
  const shift = m && m[1] === '1' ? prefix : 0;
  const text =
    m && m[3] && m[1] === m[3]
      ? (lines[Number(m[1]) - 1] ?? '').slice(Number(m[2]) - 1 - shift, Number(m[4]) - shift)
      : '';
  return {
    severity: 'error',
    source: 'planner',
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    text,
    // Line and column say where; the message says what.
    message: rootCause.replace(
      /^(?:\w+Exception: )?(?:SQL validation failed\. )?(?:From )?line \d+, column \d+(?: to line \d+, column \d+)?: /,
      '',
    ),
    detail: rootCause,
  };
}
