import { useQuery } from '@tanstack/react-query';
import type { Message, MessageCode, MessageParam } from '../../../domain/messages.ts';
import { request } from './http.ts';

/** What an operator must know about the server itself (e.g. that other machines can reach it). */
export interface ServerWarning {
  message: string;
  messageCode: MessageCode;
  messageParams: Record<string, MessageParam>;
}

/** What `/health` says about the operation that provisions the default engine at server start. */
export interface Bootstrap {
  operationId: string;
  status: string;
}

/** The parts of `/health` the console reads. */
export interface Health {
  warnings: ServerWarning[];
  bootstrap: Bootstrap | null;
}

/** The server's own health: the only code of the console that knows its URL. */
export const healthApi = {
  get: () => request<Health>('GET', '/health'),
};

/** One query of `/health`, whichever part a page reads. */
export const healthKey = ['health'] as const;

export const useServerWarnings = () =>
  useQuery({
    queryKey: healthKey,
    queryFn: healthApi.get,
    staleTime: 60_000,
    select: (h): Message[] => h.warnings.map((w) => ({ code: w.messageCode, params: w.messageParams })),
  });
