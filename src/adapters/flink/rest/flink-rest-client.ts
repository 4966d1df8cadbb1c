import type { FlinkJobState } from '../../../domain/jobs/job.ts';
import { SluiceError } from '../../../domain/errors.ts';

export interface ClusterOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'flink-version': string;
}

export interface JobOverview {
  jid: string;
  name: string;
  state: FlinkJobState;
  'start-time': number;
  'end-time': number;
}

/** Flink's JobManager REST API (one client per cluster). Responses are read leniently across versions. */
export class FlinkRestClient {
  constructor(readonly baseUrl: string) {}

  private async get<T>(p: string, timeoutMs = 3000): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${p}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new SluiceError(
        'engine_unavailable',
        `Flink REST API at ${this.baseUrl} is unreachable: ${(e as Error).message}`,
        {
          url: `${this.baseUrl}${p}`,
        },
      );
    }
    if (!res.ok) {
      const body = await res.text();
      throw new SluiceError(
        res.status === 404 ? 'not_found' : 'engine_unavailable',
        `Flink REST ${p} answered ${res.status}: ${body.slice(0, 300)}`,
        {
          url: `${this.baseUrl}${p}`,
          status: res.status,
        },
      );
    }
    return (await res.json()) as T;
  }

  overview(): Promise<ClusterOverview> {
    return this.get<ClusterOverview>('/overview', 1500);
  }

  async jobs(): Promise<JobOverview[]> {
    return (await this.get<{ jobs: JobOverview[] }>('/jobs/overview')).jobs;
  }

  job(jobId: string): Promise<JobOverview & { 'start-time': number; duration: number }> {
    return this.get(`/jobs/${jobId}`);
  }
}
