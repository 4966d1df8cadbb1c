/**
 * `text` as an http(s) URL without credentials, query or fragment, or undefined when it is not one:
 * what a setting naming a service (an S3 endpoint, a Prometheus) must be, since the URL is shown in
 * health answers, messages and logs.
 */
export function plainHttpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const plain =
    ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password && !url.search && !url.hash;
  return plain ? url : undefined;
}

/** A refused URL as a message may show it: credentials in it replaced by `***`. */
export function urlShown(text: string): string {
  try {
    const url = new URL(text);
    return url.username || url.password ? `${url.protocol}//***@${url.host}${url.pathname}` : text;
  } catch {
    return text;
  }
}
