import { useQuery } from '@tanstack/react-query';
import type { SpaceQuota, SpaceQuotaInput } from '../../../contract/spaces.ts';
import type { TargetQuota, TargetQuotaInput } from '../../../contract/targets.ts';
import { api } from './http.ts';
import { targetKeys } from './targets.ts';

export type { SpaceQuota, TargetQuota };

/** Whose quota: a deployment target's or a space's (the same view, the space's without per-job ranges). */
export type QuotaScope = { kind: 'target'; name: string } | { kind: 'space'; name: string };

/** A quota as a panel shows it, whichever its scope. */
export type QuotaOf = TargetQuota | SpaceQuota;

export const quotaKeys = {
  of: (s: QuotaScope) =>
    s.kind === 'target' ? targetKeys.quota(s.name) : (['spaces', s.name, 'quota'] as const),
};

/** Reads and sets a quota through the one typed client, by its scope. */
export const quotasApi = {
  get: (s: QuotaScope): Promise<QuotaOf> =>
    s.kind === 'target' ? api.targets.quota(s.name) : api.spaces.quota(s.name),
  set: (s: QuotaScope, body: Record<string, string | number | null>): Promise<QuotaOf> =>
    s.kind === 'target'
      ? api.targets.setQuota(s.name, body as TargetQuotaInput)
      : api.spaces.setQuota(s.name, body as SpaceQuotaInput),
};

/** The spaces the caller sees (an admin: every space), for their quotas. */
export const useVisibleSpaces = () => useQuery({ queryKey: ['spaces'], queryFn: api.spaces.list });
