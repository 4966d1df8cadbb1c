import type { Command } from 'commander';
import { OUTCOMES, sinceTime, type Outcome } from '../../domain/audit/audit.ts';
import type { AuditQuery } from '../../client/audit.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

interface AuditOptions {
  space?: string;
  actor?: string;
  job?: string;
  kind?: string;
  name?: string;
  operation?: string;
  outcome?: string;
  since?: string;
  until?: string;
  text?: string;
  limit?: string;
  export?: string;
  json?: boolean;
}

/** A time flag as the API takes it, or a clear refusal naming the flag and what it takes. */
function time(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = sinceTime(value, new Date());
  if (t === undefined)
    throw new Error(
      `${flag} '${value}' is neither a duration back from now (30m, 2h, 7d, 2w) nor a date or time (2026-12-04, 2026-12-04T10:00:00Z)`,
    );
  return t;
}

/**
 * `sluice audit [--space S] [--actor U] [--job J] [--since 2h] [--export jsonl|csv]`: the audit log
 * (platform admins: all of it; a space's owners: their space's, with --space).
 */
export function auditCommands(program: Command, api: () => SluiceApi): void {
  program
    .command('audit')
    .description(
      "show the audit log, newest first (platform admins: every record; a space's owners: their space's, with --space): who changed or did what, from where, how it ended, with the resource before and after (secrets masked); --export prints every record the filters keep as JSON lines or CSV",
    )
    .option(
      '--space <space>',
      "only what was done to this space's things (an owner who is no platform admin names the space; without it: default)",
    )
    .option('--actor <user>', 'only what this user did (or tried)')
    .option('--job <name>', 'only what was done to this job (also after it was deleted)')
    .option(
      '--kind <kind>',
      'only this kind of resource: job, target, quota, variable, catalog, user, token, ...',
    )
    .option('--name <name>', 'only the resource of this name')
    .option('--operation <id>', 'only this operation of the API (jobs.update, workspace.setVariable, ...)')
    .option('--outcome <outcome>', `only ${OUTCOMES.join(', ')}`)
    .option('--since <when>', 'from this time: a duration back from now (30m, 2h, 7d) or a date or time')
    .option('--until <when>', 'up to this time, said the same way')
    .option('--text <text>', 'only records holding this text anywhere (any case)')
    .option('--limit <n>', 'at most this many records (default 50, at most 500)')
    .option('--export <format>', 'print every record the filters keep: jsonl or csv')
    .option('--json', 'print JSON')
    .action(async (o: AuditOptions) => {
      if (o.outcome !== undefined && !(OUTCOMES as readonly string[]).includes(o.outcome))
        throw new Error(`--outcome '${o.outcome}' is not one of ${OUTCOMES.join(', ')}`);
      if (o.export !== undefined && o.export !== 'jsonl' && o.export !== 'csv')
        throw new Error(`--export '${o.export}' is not a format: use jsonl or csv`);
      if (o.job !== undefined && (o.kind ?? 'job') !== 'job')
        throw new Error(`--job names a job: it cannot go with --kind ${o.kind}`);
      const filters: AuditQuery = {
        ...(o.space === undefined ? {} : { space: o.space }),
        ...(o.actor === undefined ? {} : { actor: o.actor }),
        ...(o.job === undefined ? {} : { resourceKind: 'job', resourceName: o.job }),
        ...(o.kind === undefined ? {} : { resourceKind: o.kind }),
        ...(o.name === undefined ? {} : { resourceName: o.name }),
        ...(o.operation === undefined ? {} : { operation: o.operation }),
        ...(o.outcome === undefined ? {} : { outcome: o.outcome as Outcome }),
        ...(o.since === undefined ? {} : { from: time('--since', o.since) }),
        ...(o.until === undefined ? {} : { to: time('--until', o.until) }),
        ...(o.text === undefined ? {} : { text: o.text }),
      };
      const client = api();
      if (o.export !== undefined) {
        process.stdout.write(await client.audit.export({ ...filters, format: o.export }));
        return;
      }
      const limit = o.limit === undefined ? undefined : Number(o.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 500))
        throw new Error(`--limit '${o.limit}' is not a whole number from 1 to 500`);
      const page = await client.audit.list({ ...filters, ...(limit === undefined ? {} : { limit }) });
      if (o.json) return printJson(page.entries);
      console.log(
        table(
          page.entries.map((e) => ({
            at: e.at,
            who: `${e.actor} (${e.via})`,
            from: e.sourceAddress,
            what: e.operation ?? `${e.method} ${e.path}`,
            space: e.space ?? '-',
            resource: e.resourceKind ? `${e.resourceKind} ${e.resourceName ?? ''}`.trim() : '-',
            outcome: `${e.status}${e.errorCode ? ` ${e.errorCode}` : ''}`,
          })),
          ['at', 'who', 'from', 'what', 'space', 'resource', 'outcome'],
        ),
      );
      if (page.next !== null) console.log(`(more: narrow the filters, or --limit up to 500, or --export)`);
    });
}
