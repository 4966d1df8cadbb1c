import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { rootCauseOf, StatementRefused } from '../../../domain/targets/target-errors.ts';
import { backoff } from '../../../application/waits.ts';
import { fetchTransport, type RestTransport } from '../rest/flink-rest-client.ts';

export { backoff, rootCauseOf };

/**
 * Flink's SQL Gateway REST API (v2, Flink 1.17+). One statement per call; the gateway runs them
 * asynchronously, so every call is submit, poll the status, then fetch the result.
 */
export interface StatementResult {
  jobId: string | null;
  columns: string[];
  rows: { kind: string; fields: unknown[] }[];
}

/** Flink refused a statement: the gateway's error as the domain's (the application catches that). */
export class SqlGatewayError extends StatementRefused {}

export class SqlGatewayClient {
  constructor(
    readonly baseUrl: string,
    /** How requests travel: global fetch, or the Kubernetes API server's service proxy (the same client either way). */
    private readonly transport: RestTransport = fetchTransport,
  ) {}

  private async call<T>(method: string, p: string, body?: unknown): Promise<T> {
    let res: Awaited<ReturnType<RestTransport>>;
    try {
      res = await this.transport(`${this.baseUrl}/v2${p}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      throw new SluiceError(
        'engine_unavailable',
        message('flink.gatewayUnreachable', { url: this.baseUrl, detail: (e as Error).message }),
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const errors = safeJson<{ errors?: string[] }>(text)?.errors ?? [text];
      const trace = errors.join('\n');
      throw new SqlGatewayError(rootCauseOf(trace), trace);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** The gateway's product name and version: it answers. */
  info(): Promise<{ productName: string; version: string }> {
    return this.call('GET', '/info');
  }

  async openSession(properties: Record<string, string> = {}, sessionName?: string): Promise<string> {
    const r = await this.call<{ sessionHandle: string }>('POST', '/sessions', { properties, sessionName });
    return r.sessionHandle;
  }

  async closeSession(session: string): Promise<void> {
    await this.call('DELETE', `/sessions/${session}`).catch(() => undefined);
  }

  /** Sends one statement; the gateway runs it in the background under the returned operation handle. */
  async submit(session: string, statement: string): Promise<string> {
    const { operationHandle } = await this.call<{ operationHandle: string }>(
      'POST',
      `/sessions/${session}/statements`,
      { statement },
    );
    return operationHandle;
  }

  /** Keeps a session from its idle timeout; false when the gateway does not know it (any more). */
  async heartbeat(session: string): Promise<boolean> {
    return this.call('POST', `/sessions/${session}/heartbeat`).then(
      () => true,
      () => false,
    );
  }

  /** Runs one statement and returns its first result page (enough for DDL, SET and INSERT). */
  async execute(session: string, statement: string, timeoutMs = 120_000): Promise<StatementResult> {
    const operation = await this.submit(session, statement);
    const op = `/sessions/${session}/operations/${operation}`;
    const deadline = Date.now() + timeoutMs;
    const wait = backoff();
    for (;;) {
      const { status } = await this.call<{ status: string }>('GET', `${op}/status`);
      if (status === 'FINISHED' || status === 'ERROR') break;
      if (['CANCELED', 'CLOSED', 'TIMEOUT'].includes(status))
        throw new SqlGatewayError(
          `the statement ended ${status}`,
          '',
          message('flink.statementEnded', { status }),
        );
      if (Date.now() > deadline)
        throw new SluiceError(
          'engine_unavailable',
          message('flink.statementTimeout', { seconds: timeoutMs / 1000 }),
        );
      await wait();
    }
    // An ERROR status shows up as an HTTP 500 with Flink's stack trace when the result is fetched.
    for (;;) {
      const page = await this.fetchResult(session, operation, 0);
      if (page.resultType === 'NOT_READY') {
        await wait();
        continue;
      }
      return { jobId: page.jobId, columns: page.columns, rows: page.rows };
    }
  }

  /**
   * One page of an operation's result. A streaming query's pages carry each row's change kind
   * (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE); `nextToken` is null after the last page.
   */
  async fetchResult(session: string, operation: string, token: number): Promise<ResultPage> {
    const r = await this.call<{
      resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
      jobID?: string;
      nextResultUri?: string;
      results?: { columns?: { name: string }[]; data?: { kind: string; fields: unknown[] }[] };
    }>('GET', `/sessions/${session}/operations/${operation}/result/${token}?rowFormat=JSON`);
    const next = r.nextResultUri ? /\/result\/(\d+)/.exec(r.nextResultUri) : null;
    return {
      resultType: r.resultType,
      jobId: r.jobID ?? null,
      columns: (r.results?.columns ?? []).map((c) => c.name),
      rows: r.results?.data ?? [],
      nextToken: next ? Number(next[1]) : null,
    };
  }

  /** Closing a query's operation also cancels the Flink job that feeds it. */
  async closeOperation(session: string, operation: string): Promise<void> {
    await this.call('DELETE', `/sessions/${session}/operations/${operation}/close`).catch(() => undefined);
  }
}

export interface ResultPage extends StatementResult {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  nextToken: number | null;
}

/** Most statements finish within milliseconds: poll at 10 ms, growing to at most 250 ms. */

function safeJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
