import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';
import { fetchTransport, type RestTransport } from './flink-rest-client.ts';

/** The body of Flink's `POST /jars/:jarid/run` (the same in 1.19, 1.20 and 2.x). */
export interface JarRunRequest {
  entryClass?: string;
  programArgsList?: string[];
  parallelism?: number;
  /** The Flink job id Sluice chose (32 hex digits), so a run can be found again after a crash. */
  jobId?: string;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  /** Options for this run only (pipeline.classpaths, restart-strategy.type, ...). */
  flinkConfiguration?: Record<string, string>;
}

/**
 * A `multipart/form-data` body with one file field, as bytes: any transport carries it (global fetch,
 * or the Kubernetes API server's service proxy, which takes a body but no FormData).
 */
export function multipartFile(
  field: string,
  filename: string,
  type: string,
  content: Buffer,
): { contentType: string; body: Uint8Array<ArrayBuffer> } {
  const boundary = `----sluice${randomBytes(12).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename.replace(/"/g, '')}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    // A copy into a fresh ArrayBuffer: a Buffer may be a view of Node's shared pool.
    body: new Uint8Array(Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)])),
  };
}

/** Uploads a jar to a session cluster's JobManager (`POST /jars/upload`); resolves with its jar id. */
export async function uploadJar(
  restUrl: string,
  file: string,
  transport: RestTransport = fetchTransport,
): Promise<string> {
  const form = multipartFile(
    'jarfile',
    path.basename(file),
    'application/x-java-archive',
    fs.readFileSync(file),
  );
  const res = await call(
    restUrl,
    '/jars/upload',
    { method: 'POST', headers: { 'content-type': form.contentType }, body: form.body },
    transport,
  );
  const filename = (res as { filename?: string }).filename;
  if (!filename) throw rejected('/jars/upload', 200, JSON.stringify(res));
  return path.basename(filename);
}

/**
 * Runs an uploaded jar's main method on the JobManager (`POST /jars/:jarid/run`); resolves with the
 * Flink job id. A main that throws is refused with its root cause as the message.
 */
export async function runJar(
  restUrl: string,
  jarId: string,
  req: JarRunRequest,
  transport: RestTransport = fetchTransport,
): Promise<string> {
  const res = await call(
    restUrl,
    `/jars/${encodeURIComponent(jarId)}/run`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) },
    transport,
  );
  return (res as { jobid: string }).jobid;
}

export async function deleteJar(
  restUrl: string,
  jarId: string,
  transport: RestTransport = fetchTransport,
): Promise<void> {
  await call(
    restUrl,
    `/jars/${encodeURIComponent(jarId)}`,
    { method: 'DELETE', headers: {}, body: null },
    transport,
  );
}

async function call(
  restUrl: string,
  p: string,
  init: { method: string; headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> | null },
  transport: RestTransport,
): Promise<unknown> {
  let res: Awaited<ReturnType<RestTransport>>;
  try {
    // A run executes the job's main on the JobManager (planning SQL included): give it time.
    res = await transport(`${restUrl}${p}`, { ...init, signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    throw new SluiceError(
      'engine_unavailable',
      message('flink.restUnreachable', { url: restUrl, detail: (e as Error).message }),
      { url: `${restUrl}${p}` },
    );
  }
  const text = await res.text();
  if (!res.ok) throw rejected(p, res.status, text);
  return text ? JSON.parse(text) : {};
}

function rejected(p: string, status: number, body: string): SluiceError {
  let errors: string[] = [];
  try {
    errors = (JSON.parse(body) as { errors?: string[] }).errors ?? [];
  } catch {
    errors = [body];
  }
  const trace = errors.join('\n');
  return new SluiceError(
    'flink_rejected',
    message('flink.jarRunRefused', { path: p, status, cause: jarRunCause(trace) }),
    { status, trace },
  );
}

/**
 * The one line that says why Flink refused a jar: the SQL runner's own line when it wrote one, else
 * the deepest "Caused by" of the trace, else its first line.
 */
export function jarRunCause(trace: string): string {
  const runner = /Sluice SQL runner: [^\n]*/.exec(trace);
  if (runner) return runner[0].trim();
  const causes = [...trace.matchAll(/Caused by: ([^\n]*)/g)].map((m) => m[1]!.trim());
  return causes.at(-1) ?? trace.split('\n')[0]!.trim();
}
