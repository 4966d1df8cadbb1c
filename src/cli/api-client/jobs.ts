import type {
  CreateJobInput,
  DeletedJob,
  JobChanges,
  JobView,
  Saved,
} from '../../application/job-service.ts';
import type {
  JobEvent,
  SavepointRecord,
  Submission,
  SubmissionParams,
} from '../../domain/jobs/submission.ts';
import type { JobVersion, VersionDiff } from '../../domain/jobs/versions.ts';
import type { HttpClient } from './http.ts';
import type { OptionChangeReport } from '../../application/option-changes.ts';

export class JobsApi {
  constructor(private readonly http: HttpClient) {}
  list = (): Promise<JobView[]> => this.http.request('GET', '/jobs');
  get = (name: string): Promise<JobView> => this.http.request('GET', `/jobs/${name}`);
  create = (input: CreateJobInput): Promise<JobView & Saved> => this.http.request('POST', '/jobs', input);
  update = (
    name: string,
    baseVersion: number,
    message: string,
    changes: JobChanges,
  ): Promise<JobVersion & Saved> =>
    this.http.request('PATCH', `/jobs/${name}`, { baseVersion, message, ...changes });
  optionChanges = (
    name: string,
    to: string,
    rewrite: boolean,
  ): Promise<OptionChangeReport & { savedVersion: number | null }> =>
    this.http.request('POST', `/jobs/${name}/option-changes`, { to, rewrite });
  remove = (name: string, keepSavepoints = false): Promise<DeletedJob> =>
    this.http.request('DELETE', `/jobs/${name}${keepSavepoints ? '?keepSavepoints=true' : ''}`);
  copy = (name: string, newName: string): Promise<JobView> =>
    this.http.request('POST', `/jobs/${name}/copy`, { name: newName });
  versions = (name: string): Promise<JobVersion[]> => this.http.request('GET', `/jobs/${name}/versions`);
  diff = (name: string, from: number, to: number): Promise<VersionDiff> =>
    this.http.request('GET', `/jobs/${name}/diff?from=${from}&to=${to}`);
  rollback = (name: string, version: number): Promise<JobVersion> =>
    this.http.request('POST', `/jobs/${name}/rollback`, { version });
  start = (name: string, params: SubmissionParams = {}): Promise<Submission> =>
    this.http.request('POST', `/jobs/${name}/start`, params);
  stop = (name: string, drain = false): Promise<Submission> =>
    this.http.request('POST', `/jobs/${name}/stop`, { drain });
  cancel = (name: string): Promise<Submission> => this.http.request('POST', `/jobs/${name}/cancel`);
  upgrade = (name: string, allowNonRestoredState = false): Promise<Submission> =>
    this.http.request('POST', `/jobs/${name}/upgrade`, { allowNonRestoredState });
  triggerSavepoint = (name: string): Promise<Submission> =>
    this.http.request('POST', `/jobs/${name}/savepoints`);
  savepoints = (name: string): Promise<SavepointRecord[]> =>
    this.http.request('GET', `/jobs/${name}/savepoints`);
  submissions = (name: string): Promise<Submission[]> =>
    this.http.request('GET', `/jobs/${name}/submissions`);
  submission = (name: string, n: number): Promise<Submission> =>
    this.http.request('GET', `/jobs/${name}/submissions/${n}`);
  events = (name: string): Promise<JobEvent[]> => this.http.request('GET', `/jobs/${name}/events`);
}
