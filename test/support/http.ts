/** One request to a served API: its status and raw text (read as JSON where a test needs it). */
export async function callApi(
  url: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
  const r = await fetch(`${url}/api/v1${p}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
