import { jobs as J, type CreateJobInput, type JobChanges, type StartParams } from '../contract/jobs.ts';
import type { Transport } from './http.ts';

/** Jobs: their versions, lifecycle commands (each answers with a submission), savepoints and events. */
export const jobsClient = (t: Transport) => ({
  list: () => t.call(J.list, {}),
  get: (name: string) => t.call(J.get, { params: { name } }),
  create: (input: CreateJobInput) => t.call(J.create, { body: input }),
  update: (name: string, baseVersion: number, message: string, changes: JobChanges) =>
    t.call(J.update, { params: { name }, body: { baseVersion, message, ...changes } }),
  optionChanges: (name: string, to: string, rewrite: boolean) =>
    t.call(J.optionChanges, { params: { name }, body: { to, rewrite } }),
  remove: (name: string, keepSavepoints = false) =>
    t.call(J.remove, { params: { name }, query: keepSavepoints ? { keepSavepoints } : {} }),
  copy: (name: string, newName: string) => t.call(J.copy, { params: { name }, body: { name: newName } }),
  versions: (name: string) => t.call(J.versions, { params: { name } }),
  version: (name: string, number: number) => t.call(J.version, { params: { name, number } }),
  diff: (name: string, from: number, to: number) => t.call(J.diff, { params: { name }, query: { from, to } }),
  rollback: (name: string, version: number) => t.call(J.rollback, { params: { name }, body: { version } }),
  start: (name: string, params: StartParams = {}) => t.call(J.start, { params: { name }, body: params }),
  stop: (name: string, drain = false) => t.call(J.stop, { params: { name }, body: { drain } }),
  cancel: (name: string) => t.call(J.cancel, { params: { name } }),
  upgrade: (name: string, allowNonRestoredState = false) =>
    t.call(J.upgrade, { params: { name }, body: { allowNonRestoredState } }),
  triggerSavepoint: (name: string) => t.call(J.triggerSavepoint, { params: { name } }),
  savepoints: (name: string) => t.call(J.savepoints, { params: { name } }),
  submissions: (name: string) => t.call(J.submissions, { params: { name } }),
  submission: (name: string, number: number) => t.call(J.submission, { params: { name, number } }),
  events: (name: string) => t.call(J.events, { params: { name } }),
});
