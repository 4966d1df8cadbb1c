import type { Command } from 'commander';
import type { SluiceApi } from '../client.ts';
import { printJson } from '../output.ts';

/** `sluice k8s ...`: what Sluice does on Kubernetes targets, shown before it does it. */
export function kubernetesCommands(program: Command, api: () => SluiceApi): void {
  const k8s = program
    .command('k8s')
    .description('Kubernetes targets: the objects a job would be deployed as');
  k8s
    .command('render <job>')
    .description(
      "print the objects a start of the job's current version would apply on its Kubernetes target, as YAML; the API server's dry run of them goes to stderr",
    )
    .option('--json', 'print JSON (the YAML, the objects and the dry run)')
    .action(async (name: string, o: { json?: boolean }) => {
      const r = await api().jobs.render(name);
      if (o.json) return printJson(r);
      process.stdout.write(r.yaml);
      const dry = r.dryRun
        ? `${r.dryRun.accepted ? 'accepted' : 'refused'}: ${r.dryRun.detail}`
        : 'not asked';
      process.stderr.write(
        `# ${r.objects.length} objects for job ${name} on target ${r.target} (Flink job id ${r.flinkJobId}, chosen for this rendering; each start chooses its own)\n# server-side dry run ${dry}\n`,
      );
      if (r.dryRun && !r.dryRun.accepted) process.exitCode = 1;
    });
}
