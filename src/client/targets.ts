import { targets as C, type ClusterSettingsInput } from '../contract/targets.ts';
import type { Transport } from './http.ts';

/** Deployment targets, and the session clusters of the session targets. */
export const targetsClient = (t: Transport) => ({
  list: () => t.call(C.list, {}),
  /** A target with its clusters' processes and recent process events. */
  get: (name: string) => t.call(C.get, { params: { name } }),
  /** Creates or changes a local session target; its running session cluster takes it at its next start. */
  define: (name: string, settings: ClusterSettingsInput) =>
    t.call(C.define, { params: { name }, body: settings }),
  registerRemote: (name: string, restUrl: string, gatewayUrl?: string) =>
    t.call(C.registerRemote, { body: { name, restUrl, ...(gatewayUrl ? { gatewayUrl } : {}) } }),
  /** Starts (or adopts) a local session target's session cluster in the background: follow the operation. */
  start: (name: string) => t.call(C.start, { params: { name } }),
  stop: (name: string) => t.call(C.stop, { params: { name } }),
});
