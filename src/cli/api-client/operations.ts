import type { Operation } from '../../application/operations.ts';
import { ApiError, type HttpClient } from './http.ts';

export class OperationsApi {
  constructor(private readonly http: HttpClient) {}

  get(id: string, after = 0): Promise<Operation> {
    return this.http.request('GET', `/operations/${id}?after=${after}`);
  }

  /** Polls an operation until it ends, passing each new progress line to `onLine`. */
  async follow(op: Operation, onLine: (line: string) => void, intervalMs = 100): Promise<Operation> {
    let seen = 0;
    let current = op;
    for (;;) {
      current = await this.get(op.id, seen);
      for (const l of current.lines) onLine(l.text);
      seen += current.lines.length;
      if (current.status !== 'running') break;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    if (current.status === 'failed' && current.error)
      throw new ApiError(0, current.error.code, current.error.message, current.error.details);
    return current;
  }
}
