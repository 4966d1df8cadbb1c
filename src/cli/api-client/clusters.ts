import type { ClusterDefinition } from '../../application/cluster-service.ts';
import type { Operation } from '../../application/operations.ts';
import type { LocalClusterStatus } from '../../adapters/flink/local-cluster/local-session-cluster.ts';
import type { ClusterEvent } from '../../adapters/store/cluster-repository.ts';
import type { LocalClusterSpec } from '../../domain/clusters/local-cluster-spec.ts';
import type { HttpClient } from './http.ts';

export class ClustersApi {
  constructor(private readonly http: HttpClient) {}
  list = (): Promise<LocalClusterStatus[]> => this.http.request('GET', '/clusters');
  get = (name: string): Promise<LocalClusterStatus & { events: ClusterEvent[] }> =>
    this.http.request('GET', `/clusters/${name}`);
  define = ({ name, ...settings }: ClusterDefinition): Promise<LocalClusterSpec> =>
    this.http.request('PUT', `/clusters/${name}`, settings);
  start = (name: string): Promise<Operation> => this.http.request('POST', `/clusters/${name}/start`);
  registerRemote = (
    name: string,
    restUrl: string,
    gatewayUrl?: string,
  ): Promise<{ name: string; engineVersion: string }> =>
    this.http.request('POST', '/clusters/remote', { name, restUrl, gatewayUrl });
  stop = (name: string): Promise<LocalClusterStatus> => this.http.request('POST', `/clusters/${name}/stop`);
}
