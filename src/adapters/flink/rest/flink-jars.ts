import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../../domain/errors.ts';
import { message } from '../../../domain/messages.ts';

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

/** Uploads a jar to a session cluster's JobManager (`POST /jars/upload`); resolves with its jar id. */
export async function uploadJar(restUrl: string, file: string): Promise<string> {
  const form = new FormData();
  form.append(
    'jarfile',
    new Blob([fs.readFileSync(file)], { type: 'application/x-java-archive' }),
    path.basename(file),
  );
  const res = await call(restUrl, '/jars/upload', { method: 'POST', body: form });
  const filename = (res as { filename?: string }).filename;
  if (!filename) throw rejected('/jars/upload', 200, JSON.stringify(res));
  return path.basename(filename);
}

/**
 * Runs an uploaded jar's main method on the JobManager (`POST /jars/:jarid/run`); resolves with the
 * Flink job id. A main that throws is refused with its root cause as the message.
 */
export async function runJar(restUrl: string, jarId: string, req: JarRunRequest): Promise<string> {
  const res = await call(restUrl, `/jars/${encodeURIComponent(jarId)}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  return (res as { jobid: string }).jobid;
}

export async function deleteJar(restUrl: string, jarId: string): Promise<void> {
  await call(restUrl, `/jars/${encodeURIComponent(jarId)}`, { method: 'DELETE' });
}

async function call(restUrl: string, p: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    // A run executes the job's main on the JobManager (planning SQL included): give it time.
    res = await fetch(`${restUrl}${p}`, { ...init, signal: AbortSignal.timeout(120_000) });
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
