/** A growing wait between polls: `firstMs`, then 1.5 times longer each call, at most `maxMs`. */
export function backoff(
  firstMs = 10,
  maxMs = 250,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): () => Promise<void> {
  let next = firstMs;
  return () => {
    const ms = next;
    next = Math.min(maxMs, Math.ceil(next * 1.5));
    return sleep(ms);
  };
}
