import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../src/contract/health.ts';
import { alertRuleOf } from '../../src/domain/alerts/alert-rules.ts';
import { parseAlertmanagerSettings } from '../../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import {
  EmbeddedAlertmanager,
  embeddedAlertmanagerProcesses,
  SNAPSHOT_INTERVAL,
} from '../../src/adapters/alerts/alertmanager-server.ts';
import { processArgs } from '../../src/adapters/flink/local-cluster/os-processes.ts';
import { servedPlatform } from '../support/cli.ts';
import { killableServer } from '../support/killable-server.ts';
import { callApi } from '../support/http.ts';
import { waitFor } from '../support/platform.ts';
import { storedSqlContent } from '../support/job-content.ts';

type Served = Awaited<ReturnType<typeof servedPlatform>>;

const health = async (url: string) => (await callApi(url, 'GET', '/health')).json() as unknown as Health;
/** What Prometheus and Alertmanager say, for a failure's message. */
async function diagnosis(served: Served): Promise<string> {
  const ask = async (url: string) => {
    try {
      return JSON.stringify(await (await fetch(url)).json()).slice(0, 1500);
    } catch (e) {
      return (e as Error).message;
    }
  };
  const prometheus = served.t.platform.prometheus.url()!;
  const am = served.t.platform.alertmanager.url()!;
  return [
    `Prometheus rules: ${await ask(`${prometheus}/api/v1/rules`)}`,
    `sluice_job_state: ${await ask(`${prometheus}/api/v1/query?query=sluice_job_state`)}`,
    `Alertmanager alerts: ${await ask(`${am}/api/v2/alerts`)}`,
    `Sluice log: ${fs
      .readFileSync(path.join(served.t.home, 'sluice.log'), 'utf8')
      .split('\n')
      .filter((l) => /alert|warn/i.test(l))
      .slice(-10)
      .join('\n')}`,
  ].join('\n');
}

/**
 * The Alertmanagers Prometheus sends to, once it knows one: after a reload it rediscovers them (a few
 * seconds), and an alert that fires meanwhile waits for its resend (a minute).
 */
const alertmanagersOf = (served: Served) =>
  waitFor(
    'Prometheus to list the Alertmanager',
    async () => {
      const prometheus = served.t.platform.prometheus.url()!;
      const r = (await (await fetch(`${prometheus}/api/v1/alertmanagers`)).json()) as {
        data: { activeAlertmanagers: { url: string }[] };
      };
      return r.data.activeAlertmanagers.length > 0 && r.data.activeAlertmanagers.map((a) => a.url);
    },
    30_000,
  );

const CAUSE = 'java.lang.NumberFormatException: For input string: "x11"';

/**
 * The embedded Alertmanager (Debian's prometheus-alertmanager) beside the embedded Prometheus: a rule
 * stored by Sluice is evaluated by Prometheus over Sluice's own sluice_job_state, routed by
 * Alertmanager back to Sluice's webhook, and kept in the history with the job's root cause. No Flink
 * here (the job's state is written in the store, as the tracker writes it) and no channel: the delivery
 * is said to have failed in the history. test/e2e/alerts.test.ts runs the same path on a real job.
 */
describe('the embedded Alertmanager, with the embedded Prometheus', () => {
  let served: Served;
  let closed = false;

  beforeAll(async () => {
    served = await servedPlatform({
      config: {
        prometheus: parsePrometheusSettings({
          SLUICE_PROMETHEUS_PORT: '0',
          SLUICE_PROMETHEUS_SCRAPE_INTERVAL: '1s',
        }),
        alertmanager: parseAlertmanagerSettings({
          SLUICE_ALERTMANAGER_PORT: '0',
          SLUICE_ALERT_GROUP_WAIT: '1s',
          SLUICE_ALERT_GROUP_INTERVAL: '2s',
        }),
      },
    });
  }, 120_000);
  afterAll(async () => {
    if (!closed) await served?.close();
  }, 60_000);

  it('runs on loopback without its cluster port, and health names it ready', async () => {
    const h = await waitFor(
      'health to say the Alertmanager is ready',
      async () => {
        const h = await health(served.url);
        return h.alertmanager.ready && h;
      },
      60_000,
    );
    expect(h.alertmanager).toEqual({
      mode: 'embedded',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
      ready: true,
      configFile: `${served.t.home}/alertmanager/alertmanager.yml`,
      detail: null,
      restarts: { count: 0, recent: [] },
    });
    const pid = (served.t.platform.alertmanager as EmbeddedAlertmanager).pid()!;
    expect(processArgs(pid)).toEqual(
      expect.arrayContaining([
        `--storage.path=${served.t.home}/alertmanager/data`,
        `--web.listen-address=${new URL(h.alertmanager.url!).host}`,
        '--cluster.listen-address=',
        `--data.maintenance-interval=${SNAPSHOT_INTERVAL}`,
      ]),
    );
    // Prometheus sends its alerts there.
    const ams = await alertmanagersOf(served);
    expect(ams).toEqual([`${h.alertmanager.url}/api/v2/alerts`]);
  });

  it("routes a FAILED job's alert from Prometheus through Alertmanager to Sluice, kept in the history, and its resolution", async () => {
    const p = served.t.platform;
    const job = await p.store.jobs.create('orders', storedSqlContent(), 'ann', 'created');
    // Stored as is: no channel exists in this platform, which the API would refuse.
    await p.store.alerts.saveRule(
      alertRuleOf(
        'orders-failed',
        { kind: 'failed', job: 'orders', channel: 'ops', severity: 'critical' },
        new Date().toISOString(),
      ),
    );
    await p.alertRules.applyAll();
    await alertmanagersOf(served);
    await p.store.jobs.updateRuntime(job.id, {
      state: 'FAILED',
      stateReason: CAUSE,
      desiredState: 'running',
    });

    const [firing] = await waitFor(
      'the alert to come back from Alertmanager',
      async () => {
        const h = await p.alertRules.history('orders');
        return h.length > 0 && h;
      },
      60_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; ${await diagnosis(served)}`);
    });
    expect(firing).toMatchObject({
      rule: 'orders-failed',
      job: 'orders',
      channel: 'ops',
      delivery: expect.stringMatching(/^not sent: .*ops/) as string,
      notification: {
        status: 'firing',
        severity: 'critical',
        summary: 'orders is FAILED',
        rootCause: CAUSE,
        endsAt: null,
      },
    });
    // The API lists it too.
    const listed = (await callApi(served.url, 'GET', '/alerts?job=orders')).json() as unknown as {
      rule: string;
      status: string;
    }[];
    expect(listed[0]).toMatchObject({ rule: 'orders-failed', status: 'firing' });

    await p.store.jobs.updateRuntime(job.id, { state: 'RUNNING', stateReason: null });
    const resolved = await waitFor(
      'the alert to resolve',
      async () => {
        const [a] = await p.alertRules.history('orders');
        return a?.notification.status === 'resolved' && a;
      },
      60_000,
    );
    expect(resolved.notification.startsAt).toBe(firing!.notification.startsAt);
    expect(resolved.notification.endsAt).not.toBeNull();
  });

  it('keeps a silence when it is killed with SIGKILL and restarted by Sluice', async () => {
    const am = served.t.platform.alertmanager as EmbeddedAlertmanager;
    const base = am.url()!;
    const now = Date.now();
    const made = await fetch(`${base}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'sluice_job', value: 'orders', isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'alertmanager-server.test',
        comment: 'maintenance of orders',
      }),
    });
    expect(made.status).toBe(200);
    const { silenceID } = (await made.json()) as { silenceID: string };
    // Written to its data folder within the snapshot interval, not only at a clean stop.
    const silences = path.join(served.t.home, 'alertmanager', 'data', 'silences');
    await waitFor(
      'the silence in the data folder',
      async () => fs.existsSync(silences) && fs.readFileSync(silences).includes(Buffer.from(silenceID)),
      30_000,
    );
    const pid = am.pid()!;
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor(
      'Sluice to restart the Alertmanager',
      async () => {
        const h = await health(served.url);
        return h.alertmanager.ready && h.alertmanager.restarts.count === 1 && am.pid() !== pid && h;
      },
      60_000,
    );
    expect(restarted.alertmanager.url).toBe(base);
    const kept = (await (await fetch(`${base}/api/v2/silence/${silenceID}`)).json()) as {
      status: { state: string };
      comment: string;
    };
    expect(kept).toMatchObject({ status: { state: 'active' }, comment: 'maintenance of orders' });
  }, 120_000);

  it('is stopped with the platform', async () => {
    const home = served.t.home;
    closed = true;
    await served.close();
    expect(embeddedAlertmanagerProcesses(home)).toEqual([]);
  }, 60_000);
});

/**
 * A `sluice server` killed with SIGKILL leaves its Alertmanager running (its own process group). The
 * next Sluice on the home takes it over: its start stops it before starting its own, and a stop that
 * comes before that start (the Alertmanager starts after boot, in the background) stops it too.
 */
describe('the Alertmanager a killed `sluice server` left', () => {
  it('is stopped by the next Sluice on the home, even one stopped before it started its own', async () => {
    const server = await killableServer('am-leftover');
    try {
      await server.start();
      await waitFor('the embedded Alertmanager to be ready', async () => {
        const h = await server.api<Health>('GET', '/health');
        return h.alertmanager.ready;
      });
      const [left] = embeddedAlertmanagerProcesses(server.home);
      expect(left).toBeDefined();
      await server.kill();
      expect(processArgs(left!.pid)).toBeDefined();
      // The next Sluice's Alertmanager, stopped before it started.
      const settings = parseAlertmanagerSettings({ SLUICE_ALERTMANAGER_PORT: '0' });
      if (settings.mode !== 'embedded') throw new Error(`the settings are ${settings.mode}, not embedded`);
      const said: string[] = [];
      const next = new EmbeddedAlertmanager(settings, server.home, {
        info: () => {},
        warn: (l) => said.push(l),
      });
      await next.stop();
      expect(processArgs(left!.pid)).toBeUndefined();
      expect(embeddedAlertmanagerProcesses(server.home)).toEqual([]);
      expect(said).toEqual([
        `stopping the Alertmanager (pid ${left!.pid}) a previous Sluice left running on this home`,
      ]);
    } finally {
      await server.close();
    }
  }, 240_000);
});
