import { alertRules as A } from '../contract/alert-rules.ts';
import type { Body } from '../contract/operation.ts';
import type { Transport } from './http.ts';

/** Alert rules and the alerts they raised. */
export const alertRulesClient = (t: Transport) => ({
  /** The rules (`GET /alert-rules`), or those watching one job. */
  rules: (job?: string) => t.call(A.list, { query: job === undefined ? {} : { job } }),
  rule: (name: string) => t.call(A.get, { params: { name } }),
  /** Creates or replaces a rule (`PUT /alert-rules/{name}`). */
  putRule: (name: string, rule: Body<typeof A.put>) => t.call(A.put, { params: { name }, body: rule }),
  removeRule: (name: string) => t.call(A.remove, { params: { name } }),
  /** The alerts that fired and resolved, newest first (`GET /alerts`). */
  history: (job?: string) => t.call(A.history, { query: job === undefined ? {} : { job } }),
});
