import fs from 'node:fs';
import { Command, Option } from 'commander';
import type { JobChanges, Submission } from '../../contract/jobs.ts';
import type { SqlProblem } from '../../contract/sql.ts';
import {
  describeRestartPolicy,
  describeResubmitPolicy,
  parseRestartSpec,
  parseResubmitSpec,
  RESTART_SPEC_HELP,
} from '../../domain/jobs/restart-policy.ts';
import { ApiError, type SluiceApi } from '../client.ts';
import { printJson, printOptionChanges, table } from '../output.ts';
import { followSubmission } from './follow.ts';
import { splitArgs as splitProgramArgs } from '../../domain/jobs/program-args.ts';
import { pickLogSource } from '../../domain/logs/job-logs.ts';
import { exceptionsText } from '../exceptions-text.ts';
import { graphText } from '../graph-text.ts';
import { jobProfileCommands } from './profiles.ts';

const readSql = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ApiError(0, 'invalid_argument', `cannot read --sql-file ${file}: ${(e as Error).message}`, {});
  }
};
export const parseOptions = (kvs: string[] | undefined): Record<string, string> | undefined => {
  if (!kvs) return undefined;
  const out: Record<string, string> = {};
  for (const kv of kvs) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new ApiError(0, 'invalid_argument', `--option ${kv}: write it as key=value`, {});
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
};
/** A policy given on the command line, refused here with the syntax when it does not parse. */
const cliPolicy = <T>(parse: (spec: string) => T, spec: string | undefined): T | undefined => {
  if (!spec) return undefined;
  try {
    return parse(spec);
  } catch (e) {
    throw new ApiError(0, 'invalid_argument', (e as Error).message, {});
  }
};

/** Program arguments as one string (`--args`), split by the rule the console uses too. */
export function splitArgs(text: string): string[] {
  const r = splitProgramArgs(text);
  if (!r.ok)
    throw new ApiError(0, 'invalid_argument', `--args ${text}: a ${r.quote} quote is not closed`, {});
  return r.args;
}

/** An argument as it would be typed back: quoted when it holds spaces or quotes, or is empty. */
const quoteArg = (a: string) => (/^[^\s'"\\]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** A draft is saved with its errors; they are said, with where they are and how the job can start. */
const printWarnings = (name: string, warnings: SqlProblem[] | undefined) => {
  if (!warnings?.length) return;
  for (const w of warnings) console.log(`warning: line ${w.line}, column ${w.column}: ${w.message}`);
  console.log(`job ${name} cannot start until ${warnings.length === 1 ? 'this is' : 'these are'} fixed`);
};

export function jobCommands(program: Command, api: () => SluiceApi, say: (l: string) => void): void {
  const job = program.command('job').description('jobs: versions, lifecycle, submissions, savepoints');
  jobProfileCommands(job, api);
  const content = (c: Command) =>
    c
      .option('--description <text>', 'what the job does')
      .option('--engine <version>', 'Flink engine version')
      .option(
        '--target <name>',
        "the deployment target (`sluice target list`); left out at create or with a new --engine: the engine's session cluster local-<engine> for a job of that cluster's space (default), else the engine's local application target local-application-<engine> (a Flink cluster of the job's own)",
      )
      .option('--cluster <name>', 'the same as --target (its earlier name)')
      .option('--parallelism <n>', 'default parallelism', Number)
      .option('--restart <policy>', `Flink's restart strategy: ${RESTART_SPEC_HELP}`)
      .option(
        '--resubmit <policy>',
        'after Flink gave up: none, or <attempts>[:<backoff s>] resubmissions from the latest checkpoint',
      )
      .option(
        '--catalogs <names>',
        'workspace catalogs to create before the SQL, comma-separated ("" for none)',
      )
      .addOption(new Option('--option <key=value...>', 'Flink option managed for this job (repeatable)'))
      .addOption(
        new Option(
          '--artifact <ref...>',
          'an artifact the job needs (UDF, connector, format jar) as name or name@version; a bare name is pinned to its latest version (repeatable)',
        ),
      )
      .option('--no-artifacts', 'the job needs no artifacts (removes them on edit)')
      .option('--jar <artifact>', "a JAR job's program: an artifact as name or name@version")
      .option(
        '--entry-class <class>',
        "the class whose main runs (default: the jar's Main-Class; a new --jar runs its own Main-Class unless this is given)",
      )
      .option(
        '--args <arguments>',
        'program arguments, split at spaces; quote one that holds spaces ("" for none)',
      )
      .addOption(
        new Option(
          '--classpath <ref...>',
          "an extra artifact on a JAR job's classpath as name or name@version (repeatable)",
        ),
      );
  const changes = (o: Record<string, unknown>): JobChanges => ({
    sql: o.sqlFile ? readSql(o.sqlFile as string) : undefined,
    description: o.description as string | undefined,
    engineVersion: o.engine as string | undefined,
    target: (o.target ?? o.cluster) as string | undefined,
    parallelism: o.parallelism as number | undefined,
    options: parseOptions(o.option as string[] | undefined),
    restartPolicy: cliPolicy(parseRestartSpec, o.restart as string | undefined),
    resubmitPolicy: cliPolicy(parseResubmitSpec, o.resubmit as string | undefined),
    catalogs:
      typeof o.catalogs === 'string'
        ? o.catalogs
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : undefined,
    // --no-artifacts sets false; --artifact gives the list; neither keeps what the job has.
    artifacts: o.artifacts === false ? [] : (o.artifact as string[] | undefined),
    jar: o.jar as string | undefined,
    entryClass: o.entryClass as string | undefined,
    args: typeof o.args === 'string' ? splitArgs(o.args) : undefined,
    classpath: o.classpath as string[] | undefined,
  });

  content(
    job
      .command('create')
      .description('create a job as its version 1: a SQL job (--sql-file) or a JAR job (--jar)')
      .requiredOption('--name <name>', 'job name (lower-case letters, digits, -)')
      .option('--sql-file <file>', 'the Flink SQL script'),
  )
    .option('-m, --message <text>', 'version message')
    .option('--space <space>', 'the space it is made in (default: default)')
    .action(async (o) => {
      const j = await api().jobs.create({
        name: o.name,
        ...changes(o),
        message: o.message,
        ...(o.space ? { space: o.space as string } : {}),
      });
      const what =
        j.kind === 'jar' && j.jar ? `, jar ${j.jar.name}@${j.jar.version} running ${j.entryClass}` : '';
      console.log(
        `job ${j.name} created as version 1 (engine ${j.engineVersion}, target ${j.target}${what})`,
      );
      printWarnings(j.name, j.warnings);
    });

  content(
    job
      .command('edit <name>')
      .description('save a change as a new version')
      .option('--sql-file <file>', 'the new Flink SQL script'),
  )
    .requiredOption('-m, --message <text>', 'what changed and why')
    .option(
      '--base-version <n>',
      'the version you edited (default: the current one); a newer save makes this fail',
      Number,
    )
    .action(async (name: string, o) => {
      const base: number = o.baseVersion ?? (await api().jobs.get(name)).currentVersion;
      const v = await api().jobs.update(name, base, o.message, changes(o));
      console.log(`job ${name} saved as version ${v.number}`);
      printWarnings(name, v.warnings);
    });

  job
    .command('versions <name>')
    .description('every saved version: number, time, author, content hash, message')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await api().jobs.versions(name);
      if (o.json) return printJson(list);
      console.log(
        table(
          list.map((v) => ({ ...v, hash: v.contentHash.slice(0, 12) })),
          ['number', 'createdAt', 'author', 'hash', 'message'],
        ),
      );
    });
  job
    .command('diff <name> <from> <to>')
    .description('what changed between two versions: settings, then the SQL as a patch')
    .option('--json', 'print JSON')
    .action(async (name: string, from: string, to: string, o: { json?: boolean }) => {
      const d = await api().jobs.diff(name, Number(from), Number(to));
      if (o.json) return printJson(d);
      for (const c of d.changes)
        console.log(`${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
      if (d.sqlLinesAdded || d.sqlLinesRemoved) process.stdout.write(d.sqlPatch);
      else if (!d.changes.length) console.log(`versions ${from} and ${to} are the same`);
    });
  job
    .command('option-changes <name>')
    .description(
      'what moving the job to another Flink version changes in its options; --rewrite saves a new version',
    )
    .requiredOption('--to <version>', 'the Flink version it moves to')
    .option('--rewrite', 'save the safely rewritten SQL and options as a new version')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { to: string; rewrite?: boolean; json?: boolean }) => {
      const r = await api().jobs.optionChanges(name, o.to, o.rewrite ?? false);
      if (o.json) return printJson(r);
      printOptionChanges(name, r);
      if (r.savedVersion) console.log(`job ${name} saved as version ${r.savedVersion}`);
    });
  job
    .command('rollback <name> <version>')
    .description('save an old version as the newest')
    .action(async (name: string, version: string) => {
      const v = await api().jobs.rollback(name, Number(version));
      console.log(`job ${name} saved as version ${v.number} (${v.message})`);
    });
  job
    .command('copy <name> <new-name>')
    .description('a new job with the current version of another')
    .action(async (name: string, newName: string) => {
      const j = await api().jobs.copy(name, newName);
      console.log(`job ${j.name} created from ${name}`);
    });
  job
    .command('delete <name>')
    .description('delete a job that is not running, with its savepoint and checkpoint folders')
    .option('--keep-savepoints', 'keep its savepoint and retained checkpoint folders on disk')
    .action(async (name: string, o: { keepSavepoints?: boolean }) => {
      const r = await api().jobs.remove(name, o.keepSavepoints ?? false);
      console.log(`job ${name} deleted`);
      for (const p of r.removed) console.log(`  removed ${p}`);
      for (const p of r.kept) console.log(`  kept ${p}`);
      for (const n of r.notRemoved) console.log(`  not removed ${n.path}: ${n.why}`);
    });

  const lifecycle = (cmd: string, describe: string) =>
    job
      .command(`${cmd} <name>`)
      .description(describe)
      .option('--no-wait', 'return at once with the submission number');
  const run = async (
    name: string,
    wait: boolean,
    send: () => Promise<Submission>,
    done: (n: number) => Promise<void>,
    ends: readonly Submission['status'][] = ['succeeded'],
  ) => {
    const sub = await followSubmission(api(), name, send, wait, say, ends);
    if (!wait) return printJson({ submission: sub.number, status: sub.status });
    await done(sub.number);
  };
  const stateLine = async (name: string) => {
    const j = await api().jobs.get(name);
    return `job ${name} is ${j.state}${j.flinkJobId ? ` (Flink job ${j.flinkJobId})` : ''}`;
  };

  lifecycle('start', 'deploy the current version (a submission, followed step by step)')
    .option(
      '--from-savepoint <latest|none|path>',
      'state to restore: latest (the default when the job has a savepoint or retained checkpoint), none, or a path',
    )
    .option('--allow-non-restored-state', 'skip savepoint state that maps to no operator')
    .action((name: string, o) =>
      run(
        name,
        o.wait,
        () =>
          api().jobs.start(name, {
            fromSavepoint: o.fromSavepoint,
            allowNonRestoredState: o.allowNonRestoredState,
          }),
        async () => console.log(await stateLine(name)),
      ),
    );
  lifecycle('stop', 'stop with a savepoint')
    .option('--drain', 'flush event-time windows (MAX_WATERMARK) before stopping')
    .action((name: string, o) =>
      run(
        name,
        o.wait,
        () => api().jobs.stop(name, o.drain ?? false),
        async (n) => {
          const s = await api().jobs.submission(name, n);
          console.log(`${await stateLine(name)}; savepoint ${s.savepointPath}`);
        },
      ),
    );
  lifecycle('cancel', 'cancel without a savepoint').action((name: string, o) =>
    run(
      name,
      o.wait,
      () => api().jobs.cancel(name),
      async () => console.log(await stateLine(name)),
      // A cancel during a start follows that start, which ends cancelled.
      ['succeeded', 'cancelled'],
    ),
  );
  lifecycle('savepoint', 'trigger a savepoint of the running job').action((name: string, o) =>
    run(
      name,
      o.wait,
      () => api().jobs.triggerSavepoint(name),
      async (n) => console.log(`savepoint ${(await api().jobs.submission(name, n)).savepointPath}`),
    ),
  );
  lifecycle('upgrade', 'stop with a savepoint and start the current version from it')
    .option('--allow-non-restored-state', 'skip savepoint state that maps to no operator')
    .action((name: string, o) =>
      run(
        name,
        o.wait,
        () => api().jobs.upgrade(name, o.allowNonRestoredState ?? false),
        async () => console.log(await stateLine(name)),
      ),
    );

  job
    .command('savepoints <name>')
    .description('savepoints and retained checkpoints of the job, newest first')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await api().jobs.savepoints(name);
      if (o.json) return printJson(list);
      console.log(
        table(
          list.map((s) => ({ ...s, size: s.sizeBytes ?? '-' })),
          ['createdAt', 'kind', 'origin', 'size', 'path'],
        ),
      );
    });
  job
    .command('submissions <name>')
    .description('every start, stop, cancel, savepoint, upgrade and restart with its outcome')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await api().jobs.submissions(name);
      if (o.json) return printJson(list);
      console.log(
        table(
          list.map((s) => ({ ...s, '#': s.number, version: s.versionNumber, failed: s.failedStep ?? '' })),
          ['#', 'kind', 'version', 'status', 'failed', 'createdAt', 'author'],
        ),
      );
    });
  job
    .command('submission-log <name> <number>')
    .description('the step-by-step log of one submission')
    .option('--json', 'print JSON')
    .action(async (name: string, n: string, o: { json?: boolean }) => {
      const s = await api().jobs.submission(name, Number(n));
      if (o.json) return printJson(s);
      console.log(
        `submission #${s.number} of ${name}: ${s.kind} version ${s.versionNumber}, ${s.status}, by ${s.author} at ${s.createdAt}`,
      );
      if (s.failedStep) console.log(`failed step: ${s.failedStep}\nroot cause: ${s.rootCause ?? s.error}`);
      for (const step of s.steps) {
        console.log(`\n[${step.name}] ${step.status} ${step.startedAt} -> ${step.endedAt ?? '...'}`);
        for (const l of step.log) console.log(`  ${l}`);
      }
    });
  job
    .command('events <name>')
    .description('every state transition of the job')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await api().jobs.events(name);
      if (o.json) return printJson(list);
      console.log(
        table(list as unknown as Record<string, unknown>[], ['at', 'from', 'to', 'source', 'reason']),
      );
    });
  job
    .command('exceptions <name>')
    .description(
      "Flink's exception history of the job's current run (or --run): the root cause first, with its time, task and TaskManager, then each failure with the exceptions thrown with it",
    )
    .option('--run <flinkJobId>', 'an earlier run of the job, by its Flink job id')
    .option('--full', 'print every stack trace')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { run?: string; full?: boolean; json?: boolean }) => {
      const view = await api().jobs.exceptions(name, o.run);
      if (o.json) return printJson(view);
      process.stdout.write(exceptionsText(view, o.full ?? false));
    });
  job
    .command('graph <name>')
    .description(
      "the running job's graph from its JobManager: each vertex (operator chain) with its parallelism, backpressure level and ratio (OK up to 10%, LOW up to 50%, HIGH above: Flink's thresholds), busy time and records in/out per second, then its edges",
    )
    .option(
      '--at <moment>',
      'the graph at a moment (ISO 8601, or how long ago: -10m): the run that ran then, a finished one too, coloured from Prometheus',
    )
    .option('--subtasks', "also each vertex's subtasks: backpressure, busy and idle time")
    .option('--json', 'print JSON (with the subtasks)')
    .action(async (name: string, o: { at?: string; subtasks?: boolean; json?: boolean }) => {
      const view = await api().jobs.graph(name, undefined, o.at);
      if (o.json) return printJson(view);
      process.stdout.write(graphText(view, { subtasks: o.subtasks ?? false }));
    });
  job
    .command('lag <name>')
    .description(
      "consumer lag of the job's Kafka sources: per partition, the group's committed offset against the partition's end (the broker's; Flink commits at each checkpoint); the pendingRecords and records-lag-max Flink reports (through Prometheus); and per partition Flink's live position against the end (JAR jobs too)",
    )
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const view = await api().kafka.jobLag(name);
      if (o.json) return printJson(view);
      const dash = (v: number | null) => (v === null ? '-' : String(v));
      if (view.note) console.log(view.note);
      for (const s of view.sources) {
        console.log(
          `${s.table}: ${s.topicPattern ? `topics ~${s.topicPattern}` : `topic ${s.topics.join(';')}`}, connection ${s.connection ?? '-'}, group ${s.groupId ?? '-'}, lag ${dash(s.total)}`,
        );
        if (s.partitions.length)
          console.log(
            table(
              s.partitions.map((p) => ({ ...p, committed: dash(p.committed), lag: dash(p.lag) })),
              ['topic', 'partition', 'committed', 'end', 'lag'],
            ),
          );
        if (s.problem) console.log(`  ${s.problem}`);
      }
      const f = view.flink;
      console.log(
        `Flink's metrics (live): ${f.problem ?? (f.max === null ? 'no series yet' : `max ${f.max}`)}`,
      );
      if (f.series.length)
        console.log(
          table(
            f.series.map((x) => ({ ...x, operator: x.operator ?? '-', subtask: x.subtask ?? '-' })),
            ['operator', 'subtask', 'metric', 'value'],
          ),
        );
      console.log("Flink's position per partition (live):");
      if (f.partitions.length)
        console.log(
          table(
            f.partitions.map((p) => ({
              ...p,
              connection: p.connection ?? '-',
              position: dash(p.position),
              committed: dash(p.committed),
              end: dash(p.end),
              lag: dash(p.lag),
            })),
            ['topic', 'partition', 'connection', 'position', 'committed', 'end', 'lag'],
          ),
        );
      if (f.partitionsProblem) console.log(`  ${f.partitionsProblem}`);
    });
  job
    .command('logs <name>')
    .description(
      "the logs of the Flink processes the job runs in (its own cluster's, or the session cluster's it shares): the JobManager log's tail by default",
    )
    .option('--list', 'list the log sources (and kept runs) instead of printing one')
    .option('--process <process>', 'jobmanager, taskmanager-1, taskmanager-2, ..., sql-gateway', 'jobmanager')
    .option('--stdout', "the process's stdout and stderr (.out) instead of its log")
    .option('--source <id>', 'a source by its id, as --list shows it')
    .option('--pod <pod>', "a Kubernetes pod's log, by the pod's name (its source id on a Kubernetes target)")
    .option('--tail <lines>', 'the last lines to print', '100')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C, or until the process ends')
    .option('--search <text>', 'only the lines holding the text (any case), with their line numbers')
    .option(
      '--run <flinkJobId>',
      "an earlier run of the job: its own application cluster's, or a Kubernetes session's logs kept when it ended",
    )
    .option('--json', 'print JSON (with --list)')
    .action(
      async (
        name: string,
        o: {
          list?: boolean;
          process: string;
          stdout?: boolean;
          source?: string;
          pod?: string;
          tail: string;
          follow?: boolean;
          search?: string;
          run?: string;
          json?: boolean;
        },
      ) => {
        const client = api();
        const view = await client.jobs.logs(name, o.run);
        if (o.list) {
          if (o.json) return printJson(view);
          console.log(
            view.scope === 'job'
              ? `logs of job ${view.job}'s own application cluster on ${view.target}${view.run ? ` (run ${view.run})` : ''}`
              : view.run
                ? `logs of the session cluster of ${view.target} as they were when run ${view.run} of job ${view.job} ended, shared by every job that ran there`
                : `logs of the session cluster of ${view.target}, shared by every job running there`,
          );
          console.log(
            table(
              view.sources.map((s) => ({ ...s, size: s.size ?? '-', live: s.live ? 'yes' : 'no' })),
              ['id', 'process', 'stream', 'size', 'live'],
            ),
          );
          // A session's kept runs are apart from its processes now: listed as soon as there is one.
          if (view.runs.length > (view.scope === 'cluster' ? 0 : 1)) {
            console.log('\nkept runs (--run):');
            console.log(
              table(
                view.runs.map((r) => ({ ...r, live: r.live ? 'yes' : 'no' })),
                ['flinkJobId', 'at', 'live'],
              ),
            );
          }
          return;
        }
        const stream = o.stdout ? 'stdout' : 'log';
        const noLog = (what: string) =>
          new ApiError(
            0,
            'not_found',
            `job ${name} has no ${what}: its sources are ${view.sources.map((s) => s.id).join(', ') || 'none'} (see \`sluice job logs ${name} --list\`)`,
            {},
          );
        if (o.pod && !view.sources.some((s) => s.id === o.pod)) throw noLog(`log of pod ${o.pod}`);
        const source = o.source ?? o.pod ?? pickLogSource(view.sources, o.process, stream)?.id;
        if (!source) throw noLog(`${stream === 'stdout' ? 'stdout' : 'log'} of process ${o.process}`);
        const tail = Number(o.tail);
        if (!Number.isInteger(tail) || tail < 1)
          throw new ApiError(
            0,
            'invalid_argument',
            `--tail ${o.tail}: give a number of lines, 1 or more`,
            {},
          );
        const first = await client.jobs.log(name, source, {
          ...(o.search ? { search: o.search } : { tail }),
          ...(o.run ? { run: o.run } : {}),
        });
        process.stdout.write(first.text);
        if (!o.follow) return;
        const lines = await client.jobs.followLog(name, source, first.next, o.run);
        const stop = () => lines.close();
        process.once('SIGINT', stop);
        try {
          for (let f = await lines.nextFrame(); f; f = await lines.nextFrame()) {
            if (f.event === 'chunk') {
              const text = f.data.text;
              process.stdout.write(
                o.search
                  ? text
                      .split('\n')
                      .filter((l) => l.toLowerCase().includes(o.search!.toLowerCase()))
                      .map((l) => `${l}\n`)
                      .join('')
                  : text,
              );
            } else {
              console.error(`(${source}: ${f.data.reason})`);
              break;
            }
          }
        } finally {
          process.off('SIGINT', stop);
          lines.close();
        }
      },
    );
  job
    .command('get <name>')
    .description('state, reason, versions, restarts and last checkpoint of a job')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const j = await api().jobs.get(name);
      if (o.json) return printJson(j);
      console.log(
        `${j.name}: ${j.state}${j.stateReason ? ` (${j.stateReason})` : ''}${j.submissionInFlight ? `, ${j.submissionInFlight}` : ''}`,
      );
      console.log(
        `  Flink job id: ${j.flinkJobId ?? '-'}\n  version: ${j.currentVersion} (deployed: ${j.deployedVersion ?? '-'}${j.needsDeploy ? ', needs deploy' : ''})`,
      );
      console.log(`  engine: ${j.engineVersion}  target: ${j.target}  parallelism: ${j.parallelism}`);
      if (j.kind === 'jar' && j.jar) {
        console.log(
          `  jar: ${j.jar.name}@${j.jar.version}  entry class: ${j.entryClass ?? "the jar's Main-Class"}`,
        );
        console.log(`  arguments: ${j.args?.length ? j.args.map(quoteArg).join(' ') : '-'}`);
        console.log(
          `  classpath: ${j.classpath?.length ? j.classpath.map((r) => `${r.name}@${r.version}`).join(', ') : '-'}`,
        );
      }
      console.log(`  restart policy: ${describeRestartPolicy(j.restartPolicy)}`);
      console.log(
        `  resubmit policy: ${describeResubmitPolicy(j.resubmitPolicy)}${j.resubmitPolicy.kind === 'none' ? '' : ` (${j.resubmissions} so far)`}`,
      );
      if (j.runtime)
        console.log(
          `  Flink restarts: ${j.runtime.restarts ?? '-'}  last checkpoint: ${j.runtime.lastCheckpoint ? `#${j.runtime.lastCheckpoint.id} at ${j.runtime.lastCheckpoint.completedAt} (${j.runtime.lastCheckpoint.path ?? 'not retained'})` : '-'}`,
        );
      console.log(
        `  a start restores: ${j.defaultRestore ? `${j.defaultRestore.kind} ${j.defaultRestore.path} (${j.defaultRestore.origin}, ${j.defaultRestore.createdAt})` : 'nothing (empty state)'}`,
      );
    });
  job
    .command('list')
    .description('every job with its state and version (* marks one that needs a deploy)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await api().jobs.list();
      if (o.json) return printJson(list);
      console.log(
        table(
          list.map((j) => ({ ...j, version: `${j.currentVersion}${j.needsDeploy ? '*' : ''}` })),
          ['name', 'state', 'version', 'flinkJobId', 'engineVersion', 'target'],
        ),
      );
    });
}
