import { Command, Option } from 'commander';
import type {
  ScheduledSwitchView,
  SpaceProfileView,
  SpaceScheduledSwitchView,
  TargetProfileView,
} from '../../contract/profiles.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { TASKMANAGER_CPU, TASKMANAGER_MEMORY, TASKMANAGER_SLOTS } from '../../domain/profiles/profile.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';
import { parseOptions } from './jobs.ts';

const optionsText = (o: Record<string, string>) =>
  Object.entries(o)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '-';

/** A space's or a target's active profile and its last switch, job by job. */
export function printTargetProfile(v: TargetProfileView | SpaceProfileView): void {
  const scope = 'target' in v ? `target ${v.target}` : `space ${v.space}`;
  console.log(`${scope}: active profile ${v.activeProfile ?? 'none'}${v.switching ? ' (switching)' : ''}`);
  const s = v.lastSwitch;
  if (!s) return;
  console.log(
    `last switch: ${s.from ?? 'none'} -> ${s.profile ?? 'none'} by ${s.author} at ${s.startedAt}, ${s.concurrency} at a time, ${s.finishedAt ? `ended ${s.finishedAt}` : 'under way'}`,
  );
  if (s.jobs.length)
    console.log(
      table(
        s.jobs.map((j) => ({ ...j, submission: j.submission ?? '-', reason: j.reason ?? '' })),
        ['job', 'status', 'submission', 'reason'],
      ),
    );
  else console.log(`no job was running ${'target' in v ? 'on it' : 'in it'}`);
}

/** `sluice job profile set|list|remove`. */
export function jobProfileCommands(job: Command, api: () => SluiceApi): void {
  const profile = job
    .command('profile')
    .description(
      "a job's resource profiles (normal, peak): parallelism and Flink options laid over its version's while its target has that profile active",
    );
  profile
    .command('set <job> <profile>')
    .description(
      "add or replace a profile of the job; it runs it at its next start or upgrade, or its target's next switch",
    )
    .requiredOption('--parallelism <n>', "the job's parallelism in this profile")
    .option('--taskmanager-memory <size>', `TaskManager memory (${TASKMANAGER_MEMORY}), such as 2g`)
    .option('--slots <n>', `slots per TaskManager (${TASKMANAGER_SLOTS})`)
    .option('--taskmanager-cpu <cores>', `CPU of a TaskManager pod on Kubernetes (${TASKMANAGER_CPU})`)
    .addOption(new Option('--option <key=value...>', 'another Flink option of the profile (repeatable)'))
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        profileName: string,
        o: {
          parallelism: string;
          taskmanagerMemory?: string;
          slots?: string;
          taskmanagerCpu?: string;
          option?: string[];
          json?: boolean;
        },
      ) => {
        const options = parseOptions(o.option) ?? {};
        if (o.taskmanagerMemory !== undefined) options[TASKMANAGER_MEMORY] = o.taskmanagerMemory;
        if (o.slots !== undefined) options[TASKMANAGER_SLOTS] = o.slots;
        if (o.taskmanagerCpu !== undefined) options[TASKMANAGER_CPU] = o.taskmanagerCpu;
        // A parallelism that is no number goes as written: the API refuses it, naming the field.
        const n = Number(o.parallelism);
        const p = await api().profiles.set(name, profileName, {
          parallelism: (Number.isFinite(n) ? n : o.parallelism) as number,
          options,
        });
        if (o.json) return printJson(p);
        console.log(
          `job ${name}: profile ${p.name} set: parallelism ${p.parallelism}, options ${optionsText(p.options)}`,
        );
      },
    );
  profile
    .command('list <job>')
    .description("the job's profiles, the profiles its space and its target have active, and the one it runs")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const v = await api().profiles.ofJob(name);
      if (o.json) return printJson(v);
      console.log(
        `job ${v.job} on target ${v.target} (active profile there: ${v.activeProfile ?? 'none'}), in space ${v.space} (active profile there: ${v.spaceActiveProfile ?? 'none'}); it runs ${v.effectiveProfile ?? "its version's settings"}`,
      );
      if (!v.profiles.length) return console.log("no profiles: the job runs its version's settings");
      console.log(
        table(
          v.profiles.map((p) => ({
            active: p.name === v.effectiveProfile ? '*' : '',
            name: p.name,
            parallelism: p.parallelism,
            options: optionsText(p.options),
          })),
          ['active', 'name', 'parallelism', 'options'],
        ),
      );
    });
  profile
    .command('remove <job> <profile>')
    .description('remove a profile of the job (what runs changes at its next start or upgrade)')
    .action(async (name: string, profileName: string) => {
      await api().profiles.remove(name, profileName);
      console.log(`job ${name}: profile ${profileName} removed`);
    });
}

/** `sluice target profile TARGET [NAME] [--wait]`: show, or switch, the target's active profile. */
export function targetProfileCommand(target: Command, api: () => SluiceApi): void {
  target
    .command('profile <target> [profile]')
    .description(
      "show a target's active resource profile and last switch; with a profile name, switch to it: every running job with a profile of that name is upgraded with a savepoint, one at a time",
    )
    .option('--no-wait', 'return once the switch is recorded, without waiting for its upgrades')
    .option('--json', 'print JSON')
    .action(async (name: string, profileName: string | undefined, o: { wait: boolean; json?: boolean }) => {
      const client = api();
      let v = profileName
        ? await client.profiles.switch(name, profileName)
        : await client.profiles.active(name);
      if (profileName && o.wait)
        while (v.switching) {
          await new Promise((r) => setTimeout(r, 1000));
          v = await client.profiles.active(name);
        }
      if (o.json) return printJson(v);
      printTargetProfile(v);
      if (v.lastSwitch?.jobs.some((j) => j.status === 'failed') && profileName && !v.switching)
        process.exitCode = 1;
    });
}

/** `--space S` or `--target T`: exactly one, named; what a space's or a target's profile command acts on. */
interface ScopeFlags {
  space?: string;
  target?: string;
}
type Scope = { kind: 'space' | 'target'; name: string };

function scopeOf(o: ScopeFlags): Scope {
  if ((o.space === undefined) === (o.target === undefined))
    throw new SluiceError('invalid_argument', message('profile.scopeFlags'), {
      field: o.space === undefined ? 'space' : 'target',
    });
  return o.space !== undefined ? { kind: 'space', name: o.space } : { kind: 'target', name: o.target! };
}

const scopeOptions = (c: Command, what: string) =>
  c
    .option('--space <space>', `the space ${what} (every job of the space, on any target)`)
    .option('--target <target>', `the deployment target ${what} (every job on it)`);

const describe = (s: Scope) => `${s.kind} ${s.name}`;

/**
 * `sluice profile switch|status|schedule`: a space's (or a target's) active profile, switched by hand
 * or on a schedule. A job runs its space's active profile if it has it, else its target's.
 */
export function profileCommands(program: Command, api: () => SluiceApi): void {
  const profile = program
    .command('profile')
    .description(
      "the active resource profile of a space (or a deployment target): switched by hand or on a schedule; a job runs its space's active profile if it has one of that name, else its target's",
    );

  const state = (client: SluiceApi, s: Scope) =>
    s.kind === 'space' ? client.profiles.spaceActive(s.name) : client.profiles.active(s.name);

  scopeOptions(
    profile
      .command('switch <profile>')
      .description(
        'switch the active profile: every running job with a profile of that name is upgraded with a savepoint, a few at a time (SLUICE_PROFILE_SWITCH_CONCURRENCY), each a submission of the job; the others are skipped with the reason',
      ),
    'to switch',
  )
    .option('--no-wait', 'return once the switch is recorded, without waiting for its upgrades')
    .option('--json', 'print JSON')
    .action(async (profileName: string, o: ScopeFlags & { wait: boolean; json?: boolean }) => {
      const s = scopeOf(o);
      const client = api();
      let v =
        s.kind === 'space'
          ? await client.profiles.spaceSwitch(s.name, profileName)
          : await client.profiles.switch(s.name, profileName);
      if (o.wait)
        while (v.switching) {
          await new Promise((r) => setTimeout(r, 1000));
          v = await state(client, s);
        }
      if (o.json) return printJson(v);
      printTargetProfile(v);
      if (v.lastSwitch?.jobs.some((j) => j.status === 'failed') && !v.switching) process.exitCode = 1;
    });

  scopeOptions(
    profile.command('status').description('the active profile and the last switch, job by job'),
    'to show',
  )
    .option('--json', 'print JSON')
    .action(async (o: ScopeFlags & { json?: boolean }) => {
      const v = await state(api(), scopeOf(o));
      if (o.json) return printJson(v);
      printTargetProfile(v);
    });

  const schedule = profile
    .command('schedule')
    .description(
      'scheduled switches of the active profile (peak before a sale, normal after): at its time the server switches as `sluice profile switch` does',
    );
  scopeOptions(
    schedule
      .command('add')
      .description(
        'schedule a switch; a server down at its time switches at its start if at most an hour late, and records it as missed otherwise',
      ),
    'whose active profile switches',
  )
    .requiredOption(
      '--profile <profile>',
      'the profile to switch to (a job of the space or target must have it)',
    )
    .requiredOption(
      '--at <time>',
      'when: ISO 8601 with its offset, such as 2026-11-10T23:00:00+08:00 or 2026-11-10T15:00:00Z',
    )
    .option('--repeat <repeat>', 'none (once), daily or weekly', 'none')
    .option('--json', 'print JSON')
    .action(async (o: ScopeFlags & { profile: string; at: string; repeat: string; json?: boolean }) => {
      const scope = scopeOf(o);
      // A repeat that is none of the three goes as written: the API refuses it, naming the field.
      const input = { profile: o.profile, at: o.at, repeat: o.repeat as ScheduledSwitchView['repeat'] };
      const s =
        scope.kind === 'space'
          ? await api().profiles.addSpaceSchedule(scope.name, input)
          : await api().profiles.addSchedule(scope.name, input);
      if (o.json) return printJson(s);
      console.log(
        `scheduled switch ${s.id}: ${describe(scope)} to profile ${s.profile} at ${s.at}${s.repeat === 'none' ? '' : `, ${s.repeat}`} (next ${s.nextAt ?? '-'})`,
      );
    });
  scopeOptions(
    schedule
      .command('list')
      .description('the scheduled switches, each with its next time and its last outcome'),
    'whose switches to list',
  )
    .option('--json', 'print JSON')
    .action(async (o: ScopeFlags & { json?: boolean }) => {
      const scope = scopeOf(o);
      const list: (ScheduledSwitchView | SpaceScheduledSwitchView)[] =
        scope.kind === 'space'
          ? await api().profiles.spaceSchedule(scope.name)
          : await api().profiles.schedule(scope.name);
      if (o.json) return printJson(list);
      if (!list.length) return console.log(`${describe(scope)} has no scheduled switches`);
      console.log(
        table(
          list.map((s) => ({
            id: s.id,
            profile: s.profile,
            at: s.at,
            repeat: s.repeat,
            next: s.nextAt ?? '-',
            'last run': s.lastRun ? `${s.lastRun.outcome} at ${s.lastRun.at}` : '-',
            reason: s.lastRun?.reason ?? '',
          })),
          ['id', 'profile', 'at', 'repeat', 'next', 'last run', 'reason'],
        ),
      );
    });
  scopeOptions(
    schedule.command('remove <id>').description('remove a scheduled switch'),
    'it belongs to',
  ).action(async (id: string, o: ScopeFlags) => {
    const scope = scopeOf(o);
    // An id that is no number goes as written: the API refuses it, naming the field.
    const n = Number(id);
    const asNumber = (Number.isInteger(n) ? n : id) as number;
    if (scope.kind === 'space') await api().profiles.removeSpaceSchedule(scope.name, asNumber);
    else await api().profiles.removeSchedule(scope.name, asNumber);
    console.log(`${describe(scope)}: scheduled switch ${id} removed`);
  });
}
