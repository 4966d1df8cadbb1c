import { useQuery } from '@tanstack/react-query';
import type { Message } from '../../../domain/messages.ts';
import type { Health } from '../../../contract/health.ts';
import { api } from './http.ts';

export type { Health };
/** What an operator must know about the server itself (e.g. that other machines can reach it). */
export type ServerWarning = Health['warnings'][number];

/** The server's own health, through the one typed client. */
export const healthApi = { get: () => api.health() };

/** One query of `/health`, whichever part a page reads. */
export const healthKey = ['health'] as const;

export const useServerWarnings = () =>
  useQuery({
    queryKey: healthKey,
    queryFn: healthApi.get,
    staleTime: 60_000,
    // An embedded Prometheus or Alertmanager restarting after an exit is said while it lasts.
    refetchInterval: 15_000,
    select: (h): Message[] => h.warnings.map((w) => ({ code: w.messageCode, params: w.messageParams })),
  });
