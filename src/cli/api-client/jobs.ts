import type { CreateJobInput, JobView } from '../../application/job-service.ts';
import type { Operation } from '../../application/operations.ts';
import type { Job } from '../../domain/jobs/job.ts';
import type { HttpClient } from './http.ts';

export class JobsApi {
  constructor(private readonly http: HttpClient) {}
  list = (): Promise<JobView[]> => this.http.request('GET', '/jobs');
  get = (name: string): Promise<JobView> => this.http.request('GET', `/jobs/${name}`);
  create = (input: CreateJobInput): Promise<Job> => this.http.request('POST', '/jobs', input);
  start = (name: string): Promise<Operation> => this.http.request('POST', `/jobs/${name}/start`);
}
