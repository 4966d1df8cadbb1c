import { Type, type TSchema } from 'typebox';
import { QUOTA_RESOURCES, type QuotaResource } from '../domain/quotas/quota.ts';
import { MEMORY_SIZE_PATTERN } from '../domain/clusters/memory-size.ts';

/**
 * What a quota's PUT takes and its view answers, whichever its scope (a deployment target, in
 * targets.ts; a space, in spaces.ts).
 */

const QuotaCount = Type.Integer({ minimum: 1, maximum: 1_000_000 });
// OpenAPI 3.0 (the document's version) has no numeric exclusiveMinimum: the least is one millicore.
const QuotaCores = Type.Number({
  minimum: 0.001,
  maximum: 100_000,
  description: 'CPU cores; the least is 0.001 (one millicore)',
});
const QuotaMemory = Type.Union([
  Type.String({
    pattern: MEMORY_SIZE_PATTERN,
    maxLength: 64,
    description: 'a Flink memory size such as 32g',
  }),
  Type.Integer({ minimum: 1, description: 'bytes' }),
]);
const nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

const resourceFields = {
  cpu: nullable(QuotaCores),
  memory: nullable(QuotaMemory),
  slots: nullable(QuotaCount),
  taskManagers: nullable(QuotaCount),
  jobs: nullable(QuotaCount),
};

/** A target's quota as a PUT sets it: every field left out (or null) is not limited. */
export const QuotaInputBody = Type.Object(
  {
    ...resourceFields,
    maxParallelism: nullable(QuotaCount),
    maxTaskManagers: nullable(QuotaCount),
    maxTaskManagerMemory: nullable(QuotaMemory),
    maxCpuPerPod: nullable(QuotaCores),
  },
  { additionalProperties: false },
);

/** A space's quota as a PUT sets it: the resources only (the per-job ranges are a target's). */
export const SpaceQuotaInputBody = Type.Object(resourceFields, { additionalProperties: false });

export const QuotaResourceName = Type.Unsafe<QuotaResource>(
  Type.Union(QUOTA_RESOURCES.map((r) => Type.Literal(r))),
);
export const Limit = Type.Union([Type.Number(), Type.Null()], { description: 'null: not limited' });

export const QuotaLimitsBody = Type.Object(
  Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, Limit])) as Record<QuotaResource, typeof Limit>,
  { description: 'cpu in cores, memory in bytes, the rest counts' },
);

export const ResourceUsageBody = Type.Object({
  resource: QuotaResourceName,
  limit: Limit,
  used: Type.Number({ description: 'what the jobs holding resources request together' }),
  jobs: Type.Array(Type.Object({ job: Type.String(), amount: Type.Number() })),
});
