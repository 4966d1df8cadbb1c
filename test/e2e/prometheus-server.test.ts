import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../src/contract/health.ts';
import { SluiceError } from '../../src/domain/errors.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import {
  embeddedPrometheusProcesses,
  type EmbeddedPrometheus,
} from '../../src/adapters/metrics/prometheus-server.ts';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { servedPlatform } from '../support/cli.ts';
import { callApi } from '../support/http.ts';
import { killableServer } from '../support/killable-server.ts';
import { waitFor } from '../support/platform.ts';
import { freePort } from '../support/ports.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;

const health = async (url: string) => (await callApi(url, 'GET', '/health')).json() as unknown as Health;

/** The value of `up{job="sluice"}` once Prometheus has scraped Sluice and says so. */
const sluiceUp = (served: Served) =>
  waitFor(
    'Prometheus to have scraped Sluice (up{job="sluice"} == 1)',
    async () => {
      const [up] = await served.t.platform.prometheusQuery.instant('up{job="sluice"}');
      return up?.value === 1 && up;
    },
    60_000,
  );

describe('the embedded Prometheus (Debian package), run by the platform', () => {
  let embedded: Served;
  let pid: number;

  beforeAll(async () => {
    embedded = await servedPlatform({
      config: {
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_RETENTION: '2d',
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '1s',
        }),
      },
    });
    pid = (embedded.t.platform.prometheus as EmbeddedPrometheus).pid()!;
  });
  afterAll(async () => {
    await embedded?.close();
  });

  it('answers once started, and health names it: embedded, its URL, ready, its retention', async () => {
    expect(pid).toBeGreaterThan(0);
    // Its data folder and configuration under the home, listening on loopback.
    expect(processArgs(pid)).toEqual(
      expect.arrayContaining([
        `--storage.tsdb.path=${embedded.t.home}/prometheus/data`,
        '--storage.tsdb.retention.time=2d',
        '--web.enable-lifecycle',
      ]),
    );
    const h = await health(embedded.url);
    expect(h.prometheus).toEqual({
      mode: 'embedded',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
      ready: true,
      retention: '2d',
      detail: null,
      restarts: { count: 0, recent: [] },
    });
    expect(h.warnings.filter((w) => w.messageCode.startsWith('prometheus.'))).toEqual([]);
  });

  it('scrapes Sluice\'s /metrics: up{job="sluice"} is 1 and sluice_ metrics come through the query port', async () => {
    const up = await sluiceUp(embedded);
    expect(up.labels).toMatchObject({ job: 'sluice', instance: new URL(embedded.url).host });
    const jobs = await waitFor('sluice_jobs in Prometheus', async () => {
      const samples = await embedded.t.platform.prometheusQuery.instant('sluice_jobs{job="sluice"}');
      return samples.length > 0 && samples;
    });
    // Every lifecycle state is a series (0 when empty): RUNNING is among them.
    expect(jobs.map((s) => s.labels.state)).toContain('RUNNING');
    const end = new Date();
    const series = await embedded.t.platform.prometheusQuery.range('up{job="sluice"}', {
      start: new Date(end.getTime() - 60_000),
      end,
      stepSeconds: 1,
    });
    expect(series).toHaveLength(1);
    expect(series[0]!.points.length).toBeGreaterThan(0);
    expect(series[0]!.points.every((p) => p.value === 1)).toBe(true);
  });

  it('reads scalars and the non-finite values Prometheus writes as text', async () => {
    const q = embedded.t.platform.prometheusQuery;
    expect(await q.instant('1 + 1')).toEqual([{ labels: {}, time: expect.any(Number) as number, value: 2 }]);
    expect((await q.instant('vector(1) / 0'))[0]!.value).toBe(Infinity);
    expect((await q.instant('vector(-1) / 0'))[0]!.value).toBe(-Infinity);
    expect((await q.instant('vector(0) / 0'))[0]!.value).toBeNaN();
  });

  it("refuses a bad query naming it, with Prometheus's own error text", async () => {
    const refused = await embedded.t.platform.prometheusQuery.instant('sum(up{job="sluice"}').catch((e) => e);
    expect(refused).toBeInstanceOf(SluiceError);
    expect((refused as SluiceError).code).toBe('invalid_argument');
    expect((refused as SluiceError).message).toContain('refused the query sum(up{job="sluice"}: bad_data:');
    expect((refused as SluiceError).message).toMatch(/parse error/);
    // A range vector is no instant answer: said, not misread.
    const matrix = await embedded.t.platform.prometheusQuery.instant('up[1m]').catch((e) => e);
    expect((matrix as Error).message).toContain('it gives a matrix');
  });

  it('reloads its configuration (lifecycle API), written again by Sluice', async () => {
    await expect(embedded.t.platform.prometheus.reload()).resolves.toBeUndefined();
    await sluiceUp(embedded);
  });

  it('a platform with SLUICE_PROMETHEUS_URL uses that Prometheus: health names it, queries go to it', async () => {
    const url = (await health(embedded.url)).prometheus.url!;
    const external = await servedPlatform({
      config: { prometheus: parsePrometheusSettings({ SLUICE_PROMETHEUS_URL: `${url}/` }) },
    });
    try {
      expect((await health(external.url)).prometheus).toEqual({
        mode: 'external',
        url,
        ready: true,
        // From that Prometheus's own flags.
        retention: '2d',
        detail: null,
        restarts: { count: 0, recent: [] },
      });
      // It starts none of its own.
      expect(embeddedPrometheusProcesses(external.t.home)).toEqual([]);
      const [up] = await external.t.platform.prometheusQuery.instant('up{job="sluice"}');
      expect(up?.value).toBe(1);
      await expect(external.t.platform.prometheus.reload()).rejects.toThrow(/not run by Sluice/);
    } finally {
      await external.close();
    }
    // Closing that platform left the Prometheus it used running.
    expect((await health(embedded.url)).prometheus.ready).toBe(true);
  });

  it('an unreachable SLUICE_PROMETHEUS_URL is a warning in health, not a failed start', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const external = await servedPlatform({
      config: { prometheus: parsePrometheusSettings({ SLUICE_PROMETHEUS_URL: nowhere }) },
    });
    try {
      const h = await health(external.url);
      expect(h.prometheus).toMatchObject({ mode: 'external', url: nowhere, ready: false, retention: null });
      expect(h.prometheus.detail).toMatch(
        new RegExp(`^Prometheus at ${nowhere} is not ready: .*ECONNREFUSED`),
      );
      expect(h.warnings).toContainEqual(
        expect.objectContaining({ messageCode: 'prometheus.notReady', message: h.prometheus.detail }),
      );
      const query = await external.t.platform.prometheusQuery.instant('up').catch((e) => e);
      expect((query as SluiceError).code).toBe('engine_unavailable');
      expect((query as Error).message).toContain(`Prometheus at ${nowhere} did not answer the query up:`);
    } finally {
      await external.close();
    }
  });

  it('is gone once the platform closes', async () => {
    const home = embedded.t.home;
    await embedded.close();
    embedded = undefined as unknown as Served;
    expect(processArgs(pid)).toBeUndefined();
    expect(embeddedPrometheusProcesses(home)).toEqual([]);
  });
});

describe('the embedded Prometheus of `sluice server`', () => {
  it('is stopped on SIGTERM, and one a SIGKILLed server left is stopped by the next start', async () => {
    const server = await killableServer('prometheus', {
      SLUICE_PROMETHEUS: 'embedded',
      SLUICE_PROMETHEUS_PORT: '0',
      SLUICE_PROMETHEUS_RETENTION: '1d',
    });
    try {
      await server.start();
      const ready = () =>
        waitFor('the embedded Prometheus to be ready', async () => {
          const h = await server.api<Health>('GET', '/health');
          return h.prometheus.ready && h.prometheus;
        });
      expect((await ready()).retention).toBe('1d');
      const [first] = embeddedPrometheusProcesses(server.home);
      expect(first).toBeDefined();
      // A crash leaves it running (its own process group)...
      await server.kill();
      expect(processArgs(first!.pid)).toBeDefined();
      // ...and the next start stops it before starting its own on the same data.
      await server.start();
      await ready();
      const now = embeddedPrometheusProcesses(server.home);
      expect(now).toHaveLength(1);
      expect(now[0]!.pid).not.toBe(first!.pid);
      expect(processArgs(first!.pid)).toBeUndefined();
      // SIGTERM: the server stops it before it exits.
      await server.stop();
      expect(processArgs(now[0]!.pid)).toBeUndefined();
      expect(embeddedPrometheusProcesses(server.home)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
