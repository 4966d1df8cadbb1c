import { authHeaders } from './credentials.ts';

/** One request to a served API (with its remembered admin token): its status and raw text (read as JSON where a test needs it). */
export async function callApi(
  url: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
  const r = await fetch(`${url}/api/v1${p}`, {
    method,
    headers: { ...authHeaders(url), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
