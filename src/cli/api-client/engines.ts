import type { EngineView } from '../../application/engine-service.ts';
import type { Operation } from '../../application/operations.ts';
import type { Engine } from '../../domain/engines/engine.ts';
import type { HttpClient } from './http.ts';

export class EnginesApi {
  constructor(private readonly http: HttpClient) {}
  list = (): Promise<EngineView[]> => this.http.request('GET', '/engines');
  install = (version: string): Promise<Operation> =>
    this.http.request('POST', '/engines/install', { version });
  register = (home: string): Promise<Engine> => this.http.request('POST', '/engines', { home });
  setDefault = (version: string): Promise<Engine> =>
    this.http.request('PUT', `/engines/${encodeURIComponent(version)}/default`);
}
