import type { Command } from 'commander';
import { ALERT_RULE_KINDS } from '../../domain/alerts/alert-rules.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

/** The `alert` command group: the alert channels' commands join it where they are built. */
export const alertGroup = (program: Command): Command =>
  program.commands.find((c) => c.name() === 'alert') ??
  program
    .command('alert')
    .description('alerts: rules evaluated by Prometheus, routed by Alertmanager, sent through channels');

/** `sluice alert rule add|remove`, `sluice alert list`, `sluice alert history`. */
export function alertRuleCommands(program: Command, api: () => SluiceApi, say: (l: string) => void): void {
  const alert = alertGroup(program);
  const rule = alert.command('rule').description('alert rules, evaluated by Prometheus from Sluice’s rules');
  rule
    .command('add <name>')
    .description('add or replace an alert rule; Prometheus and Alertmanager are reconfigured at once')
    .requiredOption('--when <kind>', `what it watches: ${ALERT_RULE_KINDS.join('|')}`)
    .option('--job <job>', 'the job it watches, one of the rule’s space (default: every job of the space)')
    .option(
      '--threshold <x>',
      'restarts/checkpoint-failures: count; backpressure: %; lag: records; lag-growing: records/s; no-output: records/s; pods-pending: pods',
    )
    .option(
      '--for <duration>',
      'a Prometheus duration: how long it holds, or the window counted over (30s, 5m, 1h)',
    )
    .option('--severity <severity>', 'critical, warning (default) or info')
    .requiredOption('--channel <channel>', 'the alert channel its messages go through')
    .option(
      '--space <space>',
      'the rule’s space (default: default); without --job it watches every job of it, present and future. An existing rule stays in its own',
    )
    .action(
      async (
        name: string,
        o: {
          when: string;
          job?: string;
          threshold?: string;
          for?: string;
          severity?: string;
          channel: string;
          space?: string;
        },
      ) => {
        const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
        if (threshold !== undefined && !Number.isFinite(threshold))
          throw new Error(`--threshold: '${o.threshold}' is not a number`);
        const saved = await api().alerts.putRule(name, {
          kind: o.when,
          channel: o.channel,
          ...(o.job === undefined ? {} : { job: o.job }),
          ...(threshold === undefined ? {} : { threshold }),
          ...(o.for === undefined ? {} : { for: o.for }),
          ...(o.severity === undefined ? {} : { severity: o.severity }),
          ...(o.space === undefined ? {} : { space: o.space }),
        });
        say(`alert rule ${saved.name} saved: ${describeRule(saved)}`);
      },
    );
  rule
    .command('remove <name>')
    .description('delete an alert rule (the alerts it raised stay in the history)')
    .action(async (name: string) => {
      await api().alerts.removeRule(name);
      say(`alert rule ${name} removed`);
    });

  alert
    .command('list')
    .description('the alert rules')
    .option('--job <job>', 'only those watching this job')
    .option('--json', 'print JSON')
    .action(async (o: { job?: string; json?: boolean }) => {
      const rules = await api().alerts.rules(o.job);
      if (o.json) return printJson(rules);
      console.log(
        table(
          rules.map((r) => ({
            ...r,
            job: r.job ?? '(every job of its space)',
            threshold: r.threshold ?? '',
          })),
          ['name', 'space', 'job', 'kind', 'threshold', 'for', 'severity', 'channel'],
        ),
      );
    });
  alert
    .command('history')
    .description('the alerts that fired and resolved, newest first')
    .option('--job <job>', 'only this job’s')
    .option('--json', 'print JSON (with --follow: one alert a line)')
    .option('-f, --follow', 'then print each alert as Sluice keeps it, until Ctrl-C')
    .action(async (o: { job?: string; json?: boolean; follow?: boolean }) => {
      const client = api();
      // Opened before the history is read, so that no alert falls between the two.
      const stream = o.follow ? await client.events.open(o.job) : null;
      try {
        const alerts = await client.alerts.history(o.job);
        if (o.json && !o.follow) return printJson(alerts);
        if (o.json) for (const a of [...alerts].reverse()) console.log(JSON.stringify(a));
        else console.log(table(alerts.map(alertRow), [...ALERT_COLUMNS]));
        if (!stream) return;
        process.once('SIGINT', () => stream.close());
        console.error('(following: each alert is printed as Sluice keeps it; Ctrl-C ends)');
        for (let e = await stream.next(); e; e = await stream.next()) {
          if (e.type !== 'alert') continue;
          console.log(
            o.json ? JSON.stringify(e.alert) : ALERT_COLUMNS.map((c) => alertRow(e.alert)[c]).join('  '),
          );
        }
      } finally {
        stream?.close();
      }
    });
}

const ALERT_COLUMNS = [
  'startsAt',
  'status',
  'rule',
  'job',
  'severity',
  'summary',
  'value',
  'endsAt',
  'channel',
  'delivery',
] as const;

const alertRow = (a: Awaited<ReturnType<SluiceApi['alerts']['history']>>[number]) => ({
  ...a,
  job: a.job ?? '',
  value: a.value ?? '',
  endsAt: a.endsAt ?? '',
});

const describeRule = (r: {
  job: string | null;
  space: string;
  kind: string;
  threshold: number | null;
  for: string;
  channel: string;
}) =>
  `${r.kind}${r.threshold === null ? '' : ` > ${r.threshold}`} on ${r.job ?? `every job of space ${r.space}`}, for ${r.for}, to channel ${r.channel}`;
