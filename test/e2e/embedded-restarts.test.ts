import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../src/contract/health.ts';
import { alertRuleOf } from '../../src/domain/alerts/alert-rules.ts';
import { parseAlertmanagerSettings } from '../../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import {
  embeddedPrometheusProcesses,
  type EmbeddedPrometheus,
} from '../../src/adapters/metrics/prometheus-server.ts';
import {
  embeddedAlertmanagerProcesses,
  type EmbeddedAlertmanager,
} from '../../src/adapters/alerts/alertmanager-server.ts';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { openBuiltConsole } from '../support/console.ts';
import { servedPlatform } from '../support/cli.ts';
import { callApi } from '../support/http.ts';
import { waitFor } from '../support/platform.ts';
import { storedSqlContent } from '../support/job-content.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;

const health = async (url: string) => (await callApi(url, 'GET', '/health')).json() as unknown as Health;

/** Health once it says what `ok` looks for. */
const healthWhen = (served: Served, what: string, ok: (h: Health) => boolean, timeoutMs = 60_000) =>
  waitFor(
    what,
    async () => {
      const h = await health(served.url);
      return ok(h) && h;
    },
    timeoutMs,
  );

/** The configuration the running Alertmanager says it uses (its own API, not the file). */
const servedConfig = async (am: string) =>
  ((await (await fetch(`${am}/api/v2/status`)).json()) as { config: { original: string } }).config.original;

/**
 * The embedded Prometheus and Alertmanager are supervised: killed with SIGKILL (as the OOM killer
 * does), each is said to be restarting in health and atop the console, is started again on the same
 * URL with its data and with the configuration Sluice has now, and a stop of Sluice stops them for good.
 */
describe('the embedded Prometheus and Alertmanager, restarted when they die', () => {
  let served: Served;
  let closed = false;

  beforeAll(async () => {
    served = await servedPlatform({
      config: {
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '1s',
        }),
        alertmanager: parseAlertmanagerSettings({ SLUICE_ALERTMANAGER_PORT: '0' }),
      },
    });
    await healthWhen(served, 'both to be ready', (h) => h.prometheus.ready && h.alertmanager.ready);
  }, 120_000);
  afterAll(async () => {
    if (!closed) await served?.close();
  }, 60_000);

  const prometheus = () => served.t.platform.prometheus as EmbeddedPrometheus;
  const alertmanager = () => served.t.platform.alertmanager as EmbeddedAlertmanager;

  it('Prometheus killed -9: health says it restarts, then it answers on the same URL with the samples it had', async () => {
    const q = served.t.platform.prometheusQuery;
    await waitFor('Prometheus to have scraped Sluice 3 times', async () => {
      const [n] = await q.instant('count_over_time(up{job="sluice"}[1m])');
      return (n?.value ?? 0) >= 3;
    });
    const url = (await health(served.url)).prometheus.url!;
    const pid = prometheus().pid()!;
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    const down = await healthWhen(served, 'health to say Prometheus restarts', (h) =>
      h.warnings.some((w) => w.messageCode === 'prometheus.restarting'),
    );
    expect(down.prometheus.detail).toMatch(
      new RegExp(
        `^the embedded Prometheus exited \\(signal SIGKILL\\) and is started again at ${url} after 1 s \\(restart 1 since Sluice started\\); its log is ${served.t.home}/prometheus/prometheus.log`,
      ),
    );
    expect(down.warnings).toContainEqual(
      expect.objectContaining({ messageCode: 'prometheus.restarting', message: down.prometheus.detail }),
    );
    expect(down.prometheus.restarts).toEqual({
      count: 1,
      recent: [
        {
          exitedAt: expect.any(String) as string,
          exit: 'signal SIGKILL',
          ranSeconds: expect.any(Number) as number,
          delaySeconds: 1,
        },
      ],
    });
    expect(Date.parse(down.prometheus.restarts.recent[0]!.exitedAt)).toBeGreaterThanOrEqual(killedAt - 1000);

    const up = await healthWhen(served, 'Prometheus to answer again', (h) => h.prometheus.ready);
    expect(up.prometheus).toMatchObject({ url, ready: true, detail: null, restarts: { count: 1 } });
    expect(up.warnings.filter((w) => w.messageCode.startsWith('prometheus.'))).toEqual([]);
    const again = prometheus().pid()!;
    expect(again).not.toBe(pid);
    expect(processArgs(pid)).toBeUndefined();
    expect(embeddedPrometheusProcesses(served.t.home).map((p) => p.pid)).toEqual([again]);
    // The samples scraped before the kill, from its data folder (write-ahead log) kept across the restart.
    const before = await q.range('up{job="sluice"}', {
      start: new Date(killedAt - 60_000),
      end: new Date(killedAt - 1_000),
      stepSeconds: 1,
    });
    expect(before).toHaveLength(1);
    expect(before[0]!.points.length).toBeGreaterThan(0);
    // And it scrapes Sluice again, with the configuration written again (its rule file, its Alertmanager).
    await waitFor('a scrape after the restart', async () => {
      const [s] = await q.instant('timestamp(up{job="sluice"})');
      return (s?.value ?? 0) * 1000 > killedAt;
    });
    const rules = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    expect(rules.data.yaml).toContain(`${served.t.home}/prometheus/alert-rules.yml`);
    expect(rules.data.yaml).toContain(new URL(alertmanager().url()!).host);
  });

  it('Alertmanager killed -9: restarted on the same URL with the routes of the rules as they are now', async () => {
    const p = served.t.platform;
    const rule = (name: string, channel: string) =>
      alertRuleOf(
        name,
        { kind: 'failed', job: 'orders', channel, severity: 'critical' },
        new Date().toISOString(),
      );
    await p.store.jobs.create('orders', storedSqlContent(), 'ann', 'created');
    // Stored as is (no channel exists in this platform, which the API would refuse).
    await p.store.alerts.saveRule(rule('orders-failed', 'ops'));
    await p.alertRules.applyAll();
    const url = alertmanager().url()!;
    expect(await servedConfig(url)).toContain('sluice-channel-ops');
    const pid = alertmanager().pid()!;
    process.kill(pid, 'SIGKILL');
    // A rule stored while it is down: its route is in the configuration it comes back with.
    await p.store.alerts.saveRule(rule('orders-paged', 'pager'));
    await p.alertRules.applyAll();

    const down = await healthWhen(served, 'health to say Alertmanager restarts', (h) =>
      h.warnings.some((w) => w.messageCode === 'alertmanager.restarting'),
    );
    expect(down.alertmanager.detail).toMatch(
      new RegExp(
        `^the embedded Alertmanager exited \\(signal SIGKILL\\) and is started again at ${url} after 1 s`,
      ),
    );
    expect(down.warnings.map((w) => w.messageCode)).toContain('alertmanager.restarting');
    expect(down.alertmanager.restarts.recent).toMatchObject([{ exit: 'signal SIGKILL', delaySeconds: 1 }]);

    const up = await healthWhen(served, 'Alertmanager to answer again', (h) => h.alertmanager.ready);
    expect(up.alertmanager).toMatchObject({ url, ready: true, detail: null, restarts: { count: 1 } });
    expect(alertmanager().pid()).not.toBe(pid);
    const config = await waitFor('the restarted Alertmanager to serve both routes', async () => {
      const c = await servedConfig(url);
      return c.includes('sluice-channel-pager') && c;
    });
    expect(config).toContain('sluice-channel-ops');
  });

  it('dying again soon after its restart waits twice as long, and the console says so atop every page', async () => {
    // Restart 1 happened in the first test: two quick kills wait 2 s, then 4 s.
    const kill = async (n: number) => {
      process.kill(prometheus().pid()!, 'SIGKILL');
      return healthWhen(
        served,
        `Prometheus restart ${n} to be said`,
        (h) => h.prometheus.restarts.count === n,
      );
    };
    expect((await kill(2)).prometheus.restarts.recent[0]!.delaySeconds).toBe(2);
    await healthWhen(served, 'Prometheus to answer again', (h) => h.prometheus.ready);
    const { browser, page } = await openBuiltConsole(served.url);
    try {
      const third = await kill(3);
      expect(third.prometheus.restarts.recent.map((r) => r.delaySeconds)).toEqual([4, 2, 1]);
      await page.goto(`${served.url}/jobs`);
      const banner = page.getByTestId('server-warning').filter({ hasText: 'Prometheus exited' });
      await banner.waitFor({ timeout: 4_000 });
      expect(await banner.textContent()).toContain(
        'the embedded Prometheus exited (signal SIGKILL) and is started again',
      );
      await healthWhen(served, 'Prometheus to answer again', (h) => h.prometheus.ready);
      // The banner goes once health says it answers (the console asks health again every 15 s).
      await banner.waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('a stop of Sluice stops both, and one waiting for its restart is not started again', async () => {
    const home = served.t.home;
    process.kill(alertmanager().pid()!, 'SIGKILL');
    await healthWhen(served, 'Alertmanager restart 2 to be said', (h) => h.alertmanager.restarts.count === 2);
    closed = true;
    await served.close();
    expect(embeddedPrometheusProcesses(home)).toEqual([]);
    // Past the 2 s its restart waited.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(embeddedAlertmanagerProcesses(home)).toEqual([]);
    expect(embeddedPrometheusProcesses(home)).toEqual([]);
  }, 60_000);
});
