import { engines as E } from '../contract/engines.ts';
import type { Transport } from './http.ts';

/** Installed Flink engines. */
export const enginesClient = (t: Transport) => ({
  list: () => t.call(E.list, {}),
  /** Provisions a Flink version from Maven Central in the background: follow the operation. */
  install: (version: string) => t.call(E.install, { body: { version } }),
  register: (home: string) => t.call(E.register, { body: { home } }),
  catalogTypes: (version: string) => t.call(E.catalogTypes, { params: { version } }),
  setDefault: (version: string) => t.call(E.setDefault, { params: { version } }),
});
