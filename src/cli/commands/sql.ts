import fs from 'node:fs';
import type { Command } from 'commander';
import type { DebugRunView, SqlProblem } from '../../contract/sql.ts';
import { ApiError, type SluiceApi } from '../client.ts';
import { onOutputClosed, printJson, printOptionChanges, table } from '../output.ts';

export function sqlCommands(program: Command, api: () => SluiceApi): void {
  const sql = program.command('sql').description('SQL development: validation, debug runs');
  sql
    .command('validate <file>')
    .description('check a Flink SQL script: the grammar at once, and with --planner the real engine')
    .option('--job', 'also apply the rules of a job script (an INSERT, no SELECT)')
    .option('--planner', 'plan it on a session cluster (EXPLAIN, no job is started)')
    .option(
      '--target <name>',
      "the session target whose session cluster plans it with --planner (default: the default engine's local session target)",
    )
    .option('--cluster <name>', 'the same as --target (its earlier name)')
    .option(
      '--engine <version>',
      'the engine whose SQL parser judges the syntax (default: the default engine)',
    )
    .option('--space <space>', 'the space whose variables and file folders judge it (default: default)')
    .option(
      '--artifact <ref>',
      'an artifact to add to the session first (UDF, connector, format jar), as name or name@version (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        o: {
          job?: boolean;
          planner?: boolean;
          target?: string;
          cluster?: string;
          engine?: string;
          space?: string;
          artifact: string[];
          json?: boolean;
        },
      ) => {
        const text = readFile(file);
        const syntax = await api().sql.validate(text, o.job ?? false, o.engine, o.space);
        const planner =
          o.planner && !syntax.problems.some((p) => p.severity === 'error')
            ? await api().sql.explain(text, o.target ?? o.cluster, undefined, o.artifact)
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
  sql
    .command('lineage <file>')
    .description(
      'tables a script reads and writes, with their external data, and sink column <- source columns',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const l = await api().sql.lineage(readFile(file));
      if (o.json) return printJson(l);
      console.log('tables:');
      for (const t of l.tables) {
        const use = [t.reads && 'read', t.writes && 'written'].filter(Boolean).join(', ') || 'unused';
        const from = Object.entries(t.variables ?? {}).map(
          ([k, names]) => `; ${k} from ${names.map((n) => `\${${n}}`).join(', ')}`,
        );
        console.log(
          `  ${t.name}  ${t.kind === 'table' ? (t.connector ?? '?') : t.kind}  ${t.resource ?? ''}  (${t.line ? `line ${t.line}, ` : ''}${use}${from.join('')})`,
        );
      }
      console.log('writes:');
      for (const w of l.writes) {
        console.log(
          `  line ${w.line}: ${w.sink} <- ${w.sources.join(', ')}${w.via.length ? ` via ${w.via.join(', ')}` : ''}`,
        );
        for (const c of w.columns)
          console.log(
            `    ${w.sink}.${c.column} <- ${c.from.map((f) => `${f.table}.${f.column}`).join(', ') || '(constant)'}${c.expression && c.expression !== c.from[0]?.column ? `   [${c.expression}]` : ''}`,
          );
      }
      for (const n of l.notes) console.log(`note: line ${n.line}: ${n.message}`);
    });
  sql
    .command('migrate <file>')
    .description(
      'connector and configuration options that change between two Flink versions; --write rewrites the file',
    )
    .requiredOption('--from <version>', 'the Flink version the script was written for, e.g. 1.13')
    .requiredOption('--to <version>', 'the Flink version it moves to, e.g. 1.20')
    .option('--write', 'rewrite the file in place (only the changes that are safe to make)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { from: string; to: string; write?: boolean; json?: boolean }) => {
      const r = await api().sql.optionChanges({ sql: readFile(file), from: o.from, to: o.to });
      if (o.write && r.applied) fs.writeFileSync(file, r.rewritten.sql);
      if (o.json) return printJson(r);
      printOptionChanges(file, r);
      if (o.write) console.log(r.applied ? `${file} rewritten` : `${file} unchanged`);
    });
  sql
    .command('examples')
    .description('the worked examples: copy one with `sluice sql example <name> > job.sql`')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await api().sql.examples();
      if (o.json) return printJson(all);
      console.log(
        table(
          all.map((e) => ({ ...e, tags: e.tags.join(', ') })),
          ['name', 'title', 'tags'],
        ),
      );
    });
  sql
    .command('example <name>')
    .description('print the SQL of a worked example')
    .action(async (name: string) => {
      process.stdout.write((await api().sql.example(name)).sql);
    });
  sql
    .command('debug [file]')
    .description(
      'run a script (or a job with --job) in a sandbox: sources generate rows, sink rows are shown here and written nowhere',
    )
    .option('--job <name>', "debug the current version of a job's SQL instead of a file")
    .option('--rows <n>', 'stop after this many rows', '20')
    .option('--seconds <n>', 'stop after this many seconds', '60')
    .option('--rows-per-second <n>', 'rows each generated source produces per second', '10')
    .option(
      '--source <table=file>',
      'read the rows of a source table from a .json (an array of objects, or one object per line) or .csv file',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      '--target <name>',
      "the session target whose session cluster runs it: a local one or a Kubernetes session target (default: the engine's local session target)",
    )
    .option('--cluster <name>', 'the same as --target (its earlier name)')
    .option(
      '--artifact <ref>',
      "an artifact to add to the session first (UDF, connector, format jar), as name or name@version (repeatable; default with --job: the job's)",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--json', 'print one JSON object per row, then the run')
    .action(
      async (
        file: string | undefined,
        o: {
          job?: string;
          rows: string;
          seconds: string;
          rowsPerSecond: string;
          source: string[];
          target?: string;
          cluster?: string;
          artifact: string[];
          json?: boolean;
        },
      ) => {
        if (!file === !o.job)
          throw new ApiError(0, 'invalid_argument', 'give a SQL file or --job <name>, not both', {});
        const run = await api().sql.startDebug({
          sql: file ? readFile(file) : undefined,
          jobName: o.job,
          target: o.target ?? o.cluster,
          rowLimit: Number(o.rows),
          timeLimitSeconds: Number(o.seconds),
          rowsPerSecond: Number(o.rowsPerSecond),
          sources: Object.fromEntries(o.source.map(sourceRows)),
          ...(o.artifact.length ? { artifacts: o.artifact } : {}),
        });
        const stream = await api().sql.debugResults(run.id);
        const stop = () =>
          void api()
            .sql.stopDebug(run.id)
            .catch(() => undefined);
        process.once('SIGINT', stop);
        // A reader that goes away (`| head`) stops the run too.
        const release = onOutputClosed(() => api().sql.stopDebug(run.id));
        let last: DebugRunView = run;
        if (!o.json) console.log(`debug run ${run.id} on ${run.target} (Ctrl-C stops it)`);
        try {
          for (let f = await stream.nextFrame(); f; f = await stream.nextFrame()) {
            if (f.event === 'status') last = f.data;
            else if (f.event === 'row') {
              const row = f.data;
              const columns = last.sinks.find((s) => s.sink === row.sink)?.columns ?? [];
              if (o.json) console.log(JSON.stringify(row));
              else
                console.log(
                  `${row.kind} ${row.sink} | ${row.fields.map((v, i) => `${columns[i] ?? i}=${JSON.stringify(v)}`).join(' ')}`,
                );
            } else if (f.event === 'end') break;
          }
        } finally {
          stream.close();
          process.off('SIGINT', stop);
          release();
        }
        last = await api().sql.debugRun(run.id);
        if (o.json) printJson(last);
        else {
          if (last.problem) {
            const p = last.problem;
            console.log(`${file ?? o.job}:${p.line}:${p.column}: error (${p.source}): ${p.message}`);
          }
          const first = last.firstRowAt
            ? `, first after ${((Date.parse(last.firstRowAt) - Date.parse(last.startedAt)) / 1000).toFixed(1)} s`
            : '';
          console.log(`debug run ${last.id} ${last.state}: ${last.reason} (${last.rowCount} rows${first})`);
        }
        if (last.state === 'failed') process.exitCode = 1;
      },
    );

  program
    .command('lineage')
    .description('lineage across the jobs of the workspace: which job writes and reads which table')
    .option('--job <name>', 'only what this job is connected to')
    .option('--json', 'print JSON')
    .action(async (o: { job?: string; json?: boolean }) => {
      const g = await api().sql.graph(o.job);
      if (o.json) return printJson(g);
      const label = (id: string) => {
        const n = g.nodes.find((x) => x.id === id);
        return n?.kind === 'table'
          ? (n.resource ?? (n.names ?? []).map((x) => `${x.job}/${x.table}`).join(', '))
          : id;
      };
      for (const e of g.edges) console.log(`${label(e.from)} --${e.kind}--> ${label(e.to)}`);
      if (!g.edges.length) console.log('(no jobs)');
    });
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ApiError(0, 'invalid_argument', `cannot read ${file}: ${(e as Error).message}`, {});
  }
}

/** `table=rows.json` or `table=rows.csv`. */
function sourceRows(spec: string): [string, { rows?: Record<string, unknown>[]; csv?: string }] {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new ApiError(0, 'invalid_argument', `--source ${spec}: write it as table=file`, {});
  const [table, file] = [spec.slice(0, eq), spec.slice(eq + 1)];
  const text = readFile(file);
  if (file.endsWith('.csv')) return [table, { csv: text }];
  try {
    const t = text.trim();
    const rows = t.startsWith('[')
      ? (JSON.parse(t) as Record<string, unknown>[])
      : t
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
    return [table, { rows }];
  } catch (e) {
    throw new ApiError(
      0,
      'invalid_argument',
      `--source ${spec}: ${file} is not JSON: ${(e as Error).message}`,
      {},
    );
  }
}
