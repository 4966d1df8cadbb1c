import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type {
  PrometheusQuery,
  PrometheusSample,
  PrometheusSeries,
  PrometheusServer,
} from '../../application/ports/prometheus.ts';
import { fetchProblem } from '../system/embedded-process.ts';

/** A query may scan a long range: longer than a probe, shorter than a hung request. */
const QUERY_TIMEOUT_MS = 60_000;

type Value = [number, string];
interface Answer {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

// Prometheus writes non-finite values as text Number() does not read all of.
const numberOf = (s: string) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

/**
 * PromQL over Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), asked of whichever
 * Prometheus the platform uses at the time of the query (the embedded one's port is known only once it
 * runs). Queries are POSTed as a form, so a long one is never cut by a URL limit.
 */
export class HttpPrometheusQuery implements PrometheusQuery {
  constructor(private readonly server: Pick<PrometheusServer, 'url' | 'status'>) {}

  async instant(query: string, at?: Date): Promise<PrometheusSample[]> {
    const params: Record<string, string> = { query };
    if (at) params.time = String(at.getTime() / 1000);
    const { url, data } = await this.ask('query', query, params);
    if (data.resultType === 'scalar') {
      const [time, value] = data.result as Value;
      return [{ labels: {}, time, value: numberOf(value) }];
    }
    if (data.resultType !== 'vector')
      throw new SluiceError(
        'invalid_argument',
        message('prometheus.queryRefused', {
          url,
          query,
          detail: `it gives a ${data.resultType}, not an instant vector or a scalar: ask a range query instead`,
        }),
        { query },
      );
    return (data.result as { metric: Record<string, string>; value: Value }[]).map((r) => ({
      labels: r.metric,
      time: r.value[0],
      value: numberOf(r.value[1]),
    }));
  }

  async range(
    query: string,
    range: { start: Date; end: Date; stepSeconds: number },
  ): Promise<PrometheusSeries[]> {
    const { data } = await this.ask('query_range', query, {
      query,
      start: String(range.start.getTime() / 1000),
      end: String(range.end.getTime() / 1000),
      step: String(range.stepSeconds),
    });
    return (data.result as { metric: Record<string, string>; values: Value[] }[]).map((r) => ({
      labels: r.metric,
      points: r.values.map(([time, value]) => ({ time, value: numberOf(value) })),
    }));
  }

  private async ask(
    endpoint: 'query' | 'query_range',
    query: string,
    params: Record<string, string>,
  ): Promise<{ url: string; data: NonNullable<Answer['data']> }> {
    const url = this.server.url();
    if (!url)
      throw new SluiceError(
        'precondition_failed',
        (await this.server.status()).problem ?? message('prometheus.off'),
        { query },
      );
    const unanswered = (detail: string) =>
      new SluiceError('engine_unavailable', message('prometheus.queryUnanswered', { url, query, detail }), {
        query,
      });
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${url}/api/v1/${endpoint}`, {
        method: 'POST',
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      });
      text = await res.text();
    } catch (e) {
      throw unanswered(fetchProblem(e));
    }
    let answer: Answer;
    try {
      answer = JSON.parse(text) as Answer;
    } catch {
      throw unanswered(`HTTP ${res.status}: ${text.trim().slice(0, 300)}`);
    }
    if (answer.status !== 'success' || !answer.data)
      // Prometheus's own words: bad_data is the query's fault (400/422), the rest Prometheus's (503, timeout).
      throw new SluiceError(
        answer.errorType === 'bad_data' || answer.errorType === 'execution'
          ? 'invalid_argument'
          : 'engine_unavailable',
        message('prometheus.queryRefused', { url, query, detail: `${answer.errorType}: ${answer.error}` }),
        { query, errorType: answer.errorType },
      );
    return { url, data: answer.data };
  }
}
