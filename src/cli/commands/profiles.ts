import { Command, Option } from 'commander';
import type { ScheduledSwitchView, TargetProfileView } from '../../contract/profiles.ts';
import { TASKMANAGER_CPU, TASKMANAGER_MEMORY, TASKMANAGER_SLOTS } from '../../domain/profiles/profile.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';
import { parseOptions } from './jobs.ts';

const optionsText = (o: Record<string, string>) =>
  Object.entries(o)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '-';

/** `sluice target profile TARGET [NAME]`: its active profile and its last switch, job by job. */
export function printTargetProfile(v: TargetProfileView): void {
  console.log(
    `target ${v.target}: active profile ${v.activeProfile ?? 'none'}${v.switching ? ' (switching)' : ''}`,
  );
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
  else console.log('no job was running on it');
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
    .description("the job's profiles, and the profile its target has active")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const v = await api().profiles.ofJob(name);
      if (o.json) return printJson(v);
      console.log(`job ${v.job} on target ${v.target}, active profile there: ${v.activeProfile ?? 'none'}`);
      if (!v.profiles.length) return console.log("no profiles: the job runs its version's settings");
      console.log(
        table(
          v.profiles.map((p) => ({
            active: p.name === v.activeProfile ? '*' : '',
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

/** `sluice profile schedule add|list|remove`: scheduled switches of a target's active profile. */
export function profileScheduleCommands(program: Command, api: () => SluiceApi): void {
  const schedule = program
    .command('profile')
    .description('resource profiles of deployment targets')
    .command('schedule')
    .description(
      "scheduled switches of a target's active profile (peak before a sale, normal after): at its time the server switches as `sluice target profile TARGET PROFILE` does",
    );
  schedule
    .command('add')
    .description(
      'schedule a switch; a server down at its time switches at its start if at most an hour late, and records it as missed otherwise',
    )
    .requiredOption('--target <target>', 'the deployment target whose active profile switches')
    .requiredOption('--profile <profile>', 'the profile to switch to (a job of the target must have it)')
    .requiredOption(
      '--at <time>',
      'when: ISO 8601 with its offset, such as 2026-11-10T23:00:00+08:00 or 2026-11-10T15:00:00Z',
    )
    .option('--repeat <repeat>', 'none (once), daily or weekly', 'none')
    .option('--json', 'print JSON')
    .action(async (o: { target: string; profile: string; at: string; repeat: string; json?: boolean }) => {
      // A repeat that is none of the three goes as written: the API refuses it, naming the field.
      const s = await api().profiles.addSchedule(o.target, {
        profile: o.profile,
        at: o.at,
        repeat: o.repeat as ScheduledSwitchView['repeat'],
      });
      if (o.json) return printJson(s);
      console.log(
        `scheduled switch ${s.id}: target ${s.target} to profile ${s.profile} at ${s.at}${s.repeat === 'none' ? '' : `, ${s.repeat}`} (next ${s.nextAt ?? '-'})`,
      );
    });
  schedule
    .command('list')
    .description("a target's scheduled switches, each with its next time and its last outcome")
    .requiredOption('--target <target>', 'the deployment target')
    .option('--json', 'print JSON')
    .action(async (o: { target: string; json?: boolean }) => {
      const list = await api().profiles.schedule(o.target);
      if (o.json) return printJson(list);
      if (!list.length) return console.log(`target ${o.target} has no scheduled switches`);
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
  schedule
    .command('remove <id>')
    .description('remove a scheduled switch')
    .requiredOption('--target <target>', 'the deployment target it belongs to')
    .action(async (id: string, o: { target: string }) => {
      // An id that is no number goes as written: the API refuses it, naming the field.
      const n = Number(id);
      await api().profiles.removeSchedule(o.target, (Number.isInteger(n) ? n : id) as number);
      console.log(`target ${o.target}: scheduled switch ${id} removed`);
    });
}
