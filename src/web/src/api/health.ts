import { useQuery } from '@tanstack/react-query';
import type { Message, MessageCode, MessageParam } from '../../../domain/messages.ts';
import { request } from './http.ts';

/** What an operator must know about the server itself (e.g. that other machines can reach it). */
export interface ServerWarning {
  message: string;
  messageCode: MessageCode;
  messageParams: Record<string, MessageParam>;
}

/** The server's own health: the only code of the console that reads its warnings. */
export const healthApi = {
  warnings: () =>
    request<{ warnings: ServerWarning[] }>('GET', '/health').then((h) =>
      h.warnings.map((w): Message => ({ code: w.messageCode, params: w.messageParams })),
    ),
};

export const useServerWarnings = () =>
  useQuery({ queryKey: ['health', 'warnings'], queryFn: healthApi.warnings, staleTime: 60_000 });
