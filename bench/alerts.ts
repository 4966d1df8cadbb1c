import { createClient } from '../src/client/index.ts';
import { parseAlertmanagerSettings } from '../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings, prometheusDurationMs } from '../src/domain/metrics/prometheus-settings.ts';
import { recordingReceiver } from '../test/support/alerts.ts';
import { benchPlatform, listSeconds, median, rounds, secs, servedBenchPlatform } from './platform.ts';

/** Rows 1-10 pass, row 11 fails the CAST: the job runs for about two seconds, then fails. */
const FAILING_SQL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000');
CREATE TABLE sink (n INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT CAST(IF(id > 10, CONCAT('x', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`;

const until = async <T>(what: string, get: () => Promise<T | undefined | false>, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * `npm run bench alerts`: the alert latency from a job failing (the platform's FAILED event) to a
 * webhook receiver getting the message, through the embedded Prometheus (a `failed` rule on every
 * job) and Alertmanager, a new job per round (each its own alert group). The intervals that bound it
 * are the configured ones (SLUICE_PROMETHEUS_SCRAPE_INTERVAL, also the evaluation interval, and
 * SLUICE_ALERT_GROUP_WAIT; the defaults unless set): the baseline printed beside it is their sum, the
 * longest the pipeline's waits can add up to.
 */
export async function alertLatency(scratch: string): Promise<void> {
  console.log('\n== alert latency (job FAILED to the receiver, real Flink, Prometheus, Alertmanager) ==');
  const prometheus = parsePrometheusSettings({ ...process.env, SLUICE_PROMETHEUS_PORT: '0' });
  const alertmanager = parseAlertmanagerSettings({ ...process.env, SLUICE_ALERTMANAGER_PORT: '0' });
  if (prometheus.mode !== 'embedded' || alertmanager.mode !== 'embedded')
    throw new Error(
      'the alerts bench runs its own Prometheus and Alertmanager: unset SLUICE_PROMETHEUS*/SLUICE_ALERTMANAGER*',
    );
  const scrape = prometheus.scrapeInterval;
  const groupWait = alertmanager.routing.groupWait;
  const receiver = await recordingReceiver();
  const platform = await benchPlatform(scratch, 'alerts-home', {}, { prometheus, alertmanager });
  const { app, base } = await servedBenchPlatform(platform);
  try {
    await platform.startPrometheus(base);
    await platform.boot();
    await platform.targets.start('bench', () => {});
    const api = createClient({ baseUrl: base });
    await api.alertChannels.put('receiver', { type: 'webhook', url: receiver.url });
    await api.alerts.putRule('any-failed', { kind: 'failed', channel: 'receiver' });
    const latencies: number[] = [];
    const n = rounds(3);
    for (let i = 1; i <= n; i++) {
      const job = `fails-${i}`;
      await api.jobs.create({
        name: job,
        sql: FAILING_SQL,
        target: 'bench',
        restartPolicy: { kind: 'none' },
      });
      await api.jobs.start(job);
      const failedAt = await until(
        `${job} FAILED`,
        async () => (await api.jobs.events(job)).find((e) => e.to === 'FAILED')?.at,
        180_000,
      );
      const message = await until(
        `the receiver to get ${job}'s alert`,
        async () => receiver.received.find((m) => m.body.includes(`"job":"${job}"`)),
        300_000,
      );
      latencies.push(message.at - Date.parse(failedAt));
      console.log(`round ${i}: ${secs(latencies.at(-1)!)}`);
    }
    const bound = 2 * prometheusDurationMs(scrape)! + prometheusDurationMs(groupWait)!;
    console.log(
      `alert latency, FAILED event to the receiver: median ${secs(median(latencies))} of ${listSeconds(latencies)} s`,
    );
    console.log(
      `baseline, the configured intervals that bound it: scrape ${scrape} + evaluation ${scrape} + group_wait ${groupWait} = ${secs(bound)}`,
    );
  } finally {
    await app.close();
    await platform.close();
    await receiver.close();
  }
}
