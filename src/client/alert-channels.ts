import { alertChannels as A, type AlertChannelInput } from '../contract/alert-channels.ts';
import type { Transport } from './http.ts';

/** Alert channels: where alert messages go. */
export const alertChannelsClient = (t: Transport) => ({
  list: () => t.call(A.list, {}),
  get: (name: string) => t.call(A.get, { params: { name } }),
  /** 400 naming the field for bad settings; secrets left out keep their stored values. */
  put: (name: string, body: AlertChannelInput) => t.call(A.put, { params: { name }, body }),
  remove: (name: string) => t.call(A.remove, { params: { name } }),
  /** 502 naming the receiver's answer when it refuses. */
  test: (name: string) => t.call(A.test, { params: { name } }),
});
