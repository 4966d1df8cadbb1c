import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { ensureFlinkRestTls, readFlinkRestTls } from '../../src/adapters/flink/local-cluster/rest-tls.ts';
import {
  flinkFetch,
  trustLocalCluster,
  type FlinkRequest,
} from '../../src/adapters/flink/rest/flink-fetch.ts';
import { findJava } from '../../src/adapters/system/prerequisites.ts';

/**
 * The keys of the local clusters' TLS, made once per test run (keytool takes ~7 s) and copied into
 * each test home before its platform opens: the platform finds them there as it would its own. The
 * file about the keys themselves (flink-rest-tls.test.ts) lets its platform make them.
 */
export async function seedFlinkRestTls(home: string): Promise<void> {
  const made = await ensureFlinkRestTls(inject('scratchDir'), findJava().path);
  fs.cpSync(made.dir, path.join(home, 'flink-tls'), { recursive: true });
}

/**
 * Flink's REST API (or a SQL Gateway) of a local cluster of the Sluice home `home`, as that home's
 * platform reaches it: over TLS with the home's keys when the URL is https, else plain fetch. For tests
 * whose platform runs in another process (a real `sluice server`); an in-process platform's clusters
 * are known to flinkFetch already.
 */
export function homeFlinkFetch(home: string): (url: string, init?: FlinkRequest) => Promise<Response> {
  return (url, init) => {
    if (url.startsWith('https:')) {
      const keys = readFlinkRestTls(path.join(home, 'flink-tls'));
      if (!keys) throw new Error(`${url} is served over TLS but ${home} has no flink-tls keys`);
      trustLocalCluster(url, keys);
    }
    return flinkFetch(url, init);
  };
}

export { flinkFetch };
