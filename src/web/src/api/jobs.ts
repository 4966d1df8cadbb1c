import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateJobInput,
  DeletedJob,
  JobChanges,
  JobView,
  Saved,
} from '../../../application/job-service.ts';
import type {
  JobEvent,
  SavepointRecord,
  Submission,
  SubmissionParams,
} from '../../../domain/jobs/submission.ts';
import type { JobVersion, VersionDiff } from '../../../domain/jobs/versions.ts';
import { enc, request } from './http.ts';

export type { JobView, JobEvent, SavepointRecord, Submission, JobVersion, VersionDiff };

/** Jobs: the only code of the console that knows their URLs. */
export const jobsApi = {
  list: () => request<JobView[]>('GET', '/jobs'),
  get: (name: string) => request<JobView>('GET', `/jobs/${enc(name)}`),
  create: (input: CreateJobInput) => request<JobView & Saved>('POST', '/jobs', input),
  update: (name: string, baseVersion: number, message: string, changes: JobChanges) =>
    request<JobVersion & Saved>('PATCH', `/jobs/${enc(name)}`, { baseVersion, message, ...changes }),
  remove: (name: string, keepSavepoints = false) =>
    request<DeletedJob>('DELETE', `/jobs/${enc(name)}${keepSavepoints ? '?keepSavepoints=true' : ''}`),
  copy: (name: string, newName: string) =>
    request<JobView>('POST', `/jobs/${enc(name)}/copy`, { name: newName }),
  versions: (name: string) => request<JobVersion[]>('GET', `/jobs/${enc(name)}/versions`),
  diff: (name: string, from: number, to: number) =>
    request<VersionDiff>('GET', `/jobs/${enc(name)}/diff?from=${from}&to=${to}`),
  rollback: (name: string, version: number) =>
    request<JobVersion>('POST', `/jobs/${enc(name)}/rollback`, { version }),
  start: (name: string, params: SubmissionParams = {}) =>
    request<Submission>('POST', `/jobs/${enc(name)}/start`, params),
  stop: (name: string, withSavepoint: boolean, drain = false) =>
    withSavepoint
      ? request<Submission>('POST', `/jobs/${enc(name)}/stop`, { drain })
      : request<Submission>('POST', `/jobs/${enc(name)}/cancel`, {}),
  cancel: (name: string) => request<Submission>('POST', `/jobs/${enc(name)}/cancel`, {}),
  upgrade: (name: string) => request<Submission>('POST', `/jobs/${enc(name)}/upgrade`, {}),
  savepoint: (name: string) => request<Submission>('POST', `/jobs/${enc(name)}/savepoints`, {}),
  submissions: (name: string) => request<Submission[]>('GET', `/jobs/${enc(name)}/submissions`),
  events: (name: string) => request<JobEvent[]>('GET', `/jobs/${enc(name)}/events`),
  savepoints: (name: string) => request<SavepointRecord[]>('GET', `/jobs/${enc(name)}/savepoints`),
};

export const jobKeys = {
  all: ['jobs'] as const,
  one: (name: string) => ['jobs', name] as const,
  part: (name: string, part: string) => ['jobs', name, part] as const,
};

export const useJobs = () => useQuery({ queryKey: jobKeys.all, queryFn: jobsApi.list });
/** A running job is read again every 10 s: its restarts and last checkpoint change without a state event. */
export const useJob = (name: string, opts: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: jobKeys.one(name),
    queryFn: () => jobsApi.get(name),
    refetchInterval: (q) => (q.state.data?.state === 'RUNNING' ? 10_000 : false),
    enabled: opts.enabled ?? true,
  });
export const useJobVersions = (name: string) =>
  useQuery({ queryKey: jobKeys.part(name, 'versions'), queryFn: () => jobsApi.versions(name) });
export const useJobEvents = (name: string) =>
  useQuery({ queryKey: jobKeys.part(name, 'events'), queryFn: () => jobsApi.events(name) });
export const useJobSubmissions = (name: string) =>
  useQuery({ queryKey: jobKeys.part(name, 'submissions'), queryFn: () => jobsApi.submissions(name) });
export const useJobSavepoints = (name: string, opts: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: jobKeys.part(name, 'savepoints'),
    queryFn: () => jobsApi.savepoints(name),
    enabled: opts.enabled ?? true,
  });
export const useVersionDiff = (name: string, from: number | null, to: number | null) =>
  useQuery({
    queryKey: jobKeys.part(name, `diff-${from}-${to}`),
    queryFn: () => jobsApi.diff(name, from!, to!),
    enabled: from !== null && to !== null && from !== to,
  });

/** A mutation that refreshes everything about jobs once it is done. */
export function useJobMutation<A, R>(fn: (args: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: jobKeys.all }) });
}
