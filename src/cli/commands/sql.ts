import fs from 'node:fs';
import type { Command } from 'commander';
import type { SqlProblem } from '../../domain/sql/syntax.ts';
import { ApiError, type SluiceApi } from '../api-client/index.ts';
import { printJson } from '../output.ts';

export function sqlCommands(program: Command, api: () => SluiceApi): void {
  const sql = program.command('sql').description('SQL development: validation');
  sql
    .command('validate <file>')
    .description('check a Flink SQL script: the grammar at once, and with --planner the real engine')
    .option('--job', 'also apply the rules of a job script (an INSERT, no SELECT)')
    .option('--planner', 'plan it on a session cluster (EXPLAIN, no job is started)')
    .option(
      '--cluster <name>',
      'the session cluster for --planner (default: the cluster of the default engine)',
    )
    .option('--json', 'print JSON')
    .action(
      async (file: string, o: { job?: boolean; planner?: boolean; cluster?: string; json?: boolean }) => {
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch (e) {
          throw new ApiError(0, 'invalid_argument', `cannot read ${file}: ${(e as Error).message}`, {});
        }
        const syntax = await api().sql.validate(text, o.job ?? false);
        const planner =
          o.planner && !syntax.problems.some((p) => p.severity === 'error')
            ? await api().sql.explain(text, o.cluster)
            : null;
        const problems: SqlProblem[] = [...syntax.problems, ...(planner?.problems ?? [])];
        if (o.json)
          printJson({ file, problems, statements: syntax.statements, plans: planner?.plans ?? null });
        else {
          for (const p of problems)
            console.log(`${file}:${p.line}:${p.column}: ${p.severity} (${p.source}): ${p.message}`);
          if (planner?.ok)
            for (const p of planner.plans)
              console.log(`\n-- plan of line ${p.line}: ${p.statement}\n${p.plan}`);
          if (!problems.some((p) => p.severity === 'error'))
            console.log(
              `${file}: ${syntax.statements.length} statements, no errors${planner ? ' (planned by Flink)' : ''}`,
            );
        }
        if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
      },
    );
}
