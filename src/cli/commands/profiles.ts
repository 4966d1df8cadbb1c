import { Command, Option } from 'commander';
import type { TargetProfileView } from '../../contract/profiles.ts';
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
