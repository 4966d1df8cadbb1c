import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DeletedJob,
  JobEvent,
  JobVersion,
  JobView,
  SavepointRecord,
  StartParams,
  Submission,
  VersionDiff,
} from '../../../contract/jobs.ts';
import { api } from './http.ts';

export type {
  DeletedJob,
  JobView,
  JobEvent,
  SavepointRecord,
  StartParams,
  Submission,
  JobVersion,
  VersionDiff,
};

/** A job as lists and its own answer tell it: with the space it belongs to. */
export type JobInSpace = JobView & { space: string };

/** Jobs, through the one typed client: the console's stop is a cancel when no savepoint is asked for. */
export const jobsApi = {
  ...api.jobs,
  stop: (name: string, withSavepoint: boolean, drain = false) =>
    withSavepoint ? api.jobs.stop(name, drain) : api.jobs.cancel(name),
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
