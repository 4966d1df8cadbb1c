import type { Command } from 'commander';
import type { SpaceQuota } from '../../contract/spaces.ts';
import type { TargetQuota, TargetQuotaInput } from '../../contract/targets.ts';
import {
  formatAmount,
  JOB_RANGES,
  QUOTA_FLAGS,
  QUOTA_RESOURCES,
  type JobRange,
  type QuotaLimits,
  type QuotaResource,
} from '../../domain/quotas/quota.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

const amount = (r: QuotaResource | JobRange, n: number | null) =>
  n === null ? 'no limit' : formatAmount(r, n);

/** Each resource's use against its limit, by which jobs. */
function printUsage(usage: TargetQuota['usage']): void {
  console.log(
    table(
      usage.map((u) => ({
        resource: u.resource,
        used: formatAmount(u.resource, u.used),
        limit: amount(u.resource, u.limit),
        jobs: u.jobs.map((j) => `${j.job} (${formatAmount(u.resource, j.amount)})`).join(', ') || '-',
      })),
      ['resource', 'used', 'limit', 'jobs'],
    ),
  );
}

const setBy = (q: { set: boolean; updatedBy: string | null; updatedAt: string | null }) =>
  `quota ${q.set ? `set by ${q.updatedBy} at ${q.updatedAt}` : 'not set'}`;

/** `sluice target quota NAME`: each resource's use against its limit, by which jobs, and the per-job ranges. */
export function printQuota(q: TargetQuota): void {
  console.log(`target ${q.target} (${q.targetKind}), ${setBy(q)}`);
  printUsage(q.usage);
  if (q.notPerJob.length)
    console.log(`not requested per job on this kind (no quota): ${q.notPerJob.join(', ')}`);
  console.log(`per job: ${q.ranges.map((r) => `${r} ${amount(r, q.perJob[r])}`).join(', ')}`);
}

/** `sluice space quota NAME`: each resource's use by the space's jobs on every target, against its limit. */
export function printSpaceQuota(q: SpaceQuota): void {
  console.log(`space ${q.space}, ${setBy(q)}`);
  printUsage(q.usage);
}

/** commander's camel-cased name of each flag (`--task-managers` is `taskManagers`). */
const optionKey = (flag: string) => flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type Field = QuotaResource | JobRange;

/**
 * A `quota <name>` command of one scope: without flags it shows the quota; the flags given change
 * those limits and keep the others ('none' removes one); --clear removes the quota.
 */
function scopeQuotaCommand<Q extends { limits: QuotaLimits }>(
  parent: Command,
  scope: {
    noun: 'target' | 'space';
    description: string;
    fields: readonly Field[];
    read: (name: string) => Promise<Q>;
    /** The value each field has now, to keep what the flags do not change. */
    current: (q: Q, f: Field) => number | null;
    write: (name: string, input: Record<string, number | string | null>) => Promise<Q>;
    clear: (name: string) => Promise<unknown>;
    print: (q: Q) => void;
  },
): void {
  const cmd = parent.command('quota <name>').description(scope.description);
  for (const f of scope.fields)
    cmd.option(
      `${QUOTA_FLAGS[f]} <amount>`,
      `limit ${f}${f.includes('emory') ? ' (a Flink size such as 32g)' : ''}`,
    );
  cmd
    .option('--clear', "remove the quota (a target's: with its per-job ranges)")
    .option('--json', 'print JSON')
    .action(async (name: string, o: Record<string, string | boolean | undefined>) => {
      if (o.clear) {
        await scope.clear(name);
        console.log(`quota of ${scope.noun} ${name} removed`);
        return;
      }
      const given = scope.fields.filter((f) => typeof o[optionKey(QUOTA_FLAGS[f])] === 'string');
      let q = await scope.read(name);
      if (given.length) {
        const input: Record<string, number | string | null> = {};
        for (const f of scope.fields) input[f] = scope.current(q, f);
        for (const f of given) {
          const text = String(o[optionKey(QUOTA_FLAGS[f])]).trim();
          // A count that is not a number goes as written: the API refuses it, naming the field.
          const n = Number(text);
          const size = f === 'memory' || f === 'maxTaskManagerMemory';
          input[f] = text === 'none' ? null : size || !Number.isFinite(n) ? text : n;
        }
        q = await scope.write(name, input);
      }
      if (o.json) return printJson(q);
      scope.print(q);
    });
}

const isResource = (f: Field): f is QuotaResource => (QUOTA_RESOURCES as readonly string[]).includes(f);

/** `sluice target quota NAME [--cpu 8 --memory 32g ...] [--clear]`. */
export function quotaCommand(target: Command, api: () => SluiceApi): void {
  scopeQuotaCommand<TargetQuota>(target, {
    noun: 'target',
    description:
      "show or set a target's quota (what its jobs may hold together: checked at each start and upgrade) and the per-job ranges; the flags given change those limits, the others stay; 'none' removes one",
    fields: [...QUOTA_RESOURCES, ...JOB_RANGES],
    read: (name) => api().targets.quota(name),
    current: (q, f) => (isResource(f) ? q.limits[f] : q.perJob[f]),
    write: (name, input) => api().targets.setQuota(name, input as TargetQuotaInput),
    clear: (name) => api().targets.clearQuota(name),
    print: printQuota,
  });
}

/** `sluice space quota NAME [--cpu 8 --memory 32g --slots 16 --task-managers 4 --jobs 3] [--clear]`. */
export function spaceQuotaCommand(space: Command, api: () => SluiceApi): void {
  scopeQuotaCommand<SpaceQuota>(space, {
    noun: 'space',
    description:
      "show or set a space's quota (what its jobs may hold together on every target: checked at each start and upgrade, beside the target's quota; its owners and platform admins set it); the flags given change those limits, the others stay; 'none' removes one",
    fields: QUOTA_RESOURCES,
    read: (name) => api().spaces.quota(name),
    current: (q, f) => (isResource(f) ? q.limits[f] : null),
    write: (name, input) => api().spaces.setQuota(name, input),
    clear: (name) => api().spaces.clearQuota(name),
    print: printSpaceQuota,
  });
}
