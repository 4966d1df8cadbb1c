import { useQuery } from '@tanstack/react-query';
import type { AlertChannel, AlertChannelInput, AlertChannelTest } from '../../../contract/alert-channels.ts';
import { api } from './http.ts';

export type { AlertChannel, AlertChannelInput, AlertChannelTest };

/** Alert channels, through the one typed client. */
export const alertChannelsApi = api.alertChannels;
export const alertChannelKeys = { all: ['alert-channels'] as const };
export const useAlertChannels = () =>
  useQuery({ queryKey: alertChannelKeys.all, queryFn: alertChannelsApi.list });
