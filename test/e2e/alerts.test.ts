import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { parseAlertmanagerSettings } from '../../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { followSluice, runSluice, servedPlatform } from '../support/cli.ts';
import { waitFor } from '../support/platform.ts';
import { recordingReceiver } from '../support/alerts.ts';
import { authHeaders } from '../support/credentials.ts';

const JOB = 'alerted';
const RULE = 'alerted-failed';
/** A rule per space: every job of SPACE; SPACE_JOB fails there, JOB (space default) is not its. */
const SPACE = 'shop';
const SPACE_JOB = 'shop-orders';
const SPACE_RULE = 'shop-failed';

/** Rows 1-10 pass, row 11 fails the CAST: the job runs for about two seconds, then fails. */
function failingSql(name: string): string {
  const sql = path.join(os.tmpdir(), `${name}-${process.pid}.sql`);
  fs.writeFileSync(
    sql,
    `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000');
CREATE TABLE sink (n INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT CAST(IF(id > 10, CONCAT('x', CAST(id AS STRING)), CAST(id AS STRING)) AS INT) FROM src;`,
  );
  return sql;
}

/**
 * The whole path of an alert on a real failing job: a SQL job on the run's shared session cluster
 * (real Flink 1.20) fails at run time (a CAST of row 11), the tracker makes it FAILED, the embedded
 * Prometheus evaluates the `failed` rule over sluice_job_state, the embedded Alertmanager routes it to
 * Sluice's webhook, and Sluice delivers it through a webhook channel to a local HTTP receiver: the
 * message names the job, the rule and the root cause, and the history lists it.
 */
describe('an alert from a failing job to a webhook receiver', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: SluiceClient;
  let receiver: Awaited<ReturnType<typeof recordingReceiver>>;
  let t: Awaited<ReturnType<typeof servedPlatform>>['t'];

  beforeAll(async () => {
    receiver = await recordingReceiver();
    ({ t, url, close } = await servedPlatform({
      sharedLocalCluster: true,
      config: {
        trackerIntervalMs: 500,
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
    }));
    client = createClient({ baseUrl: url, headers: authHeaders(url) });
    // The server's start: the tracker is what sees the job fail (the submission only sees it run).
    await t.platform.boot();
  }, 300_000);
  afterAll(async () => {
    if (url) for (const job of [JOB, SPACE_JOB]) await runSluice(url, ['job', 'cancel', job]);
    await close?.();
    await receiver?.close();
  }, 120_000);

  /** What Sluice knows of the job, for a failure's message: its state, events and submissions. */
  const jobDiagnosis = async (job = JOB) =>
    [
      `job: ${JSON.stringify(await client.jobs.get(job)).slice(0, 1500)}`,
      `events: ${JSON.stringify(await client.jobs.events(job)).slice(0, 3000)}`,
      `submissions: ${JSON.stringify(await client.jobs.submissions(job)).slice(0, 3000)}`,
    ].join('\n');

  /** Runs each command; one that fails fails the test with its stderr. */
  const sluice = async (...commands: string[][]) => {
    for (const args of commands) {
      const r = await runSluice(url, args);
      expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  };

  /** Waits for the tracker to see the job FAILED. */
  const failedJob = (job: string) =>
    waitFor(
      `${job} FAILED`,
      async () => {
        const j = await client.jobs.get(job);
        return j.state === 'FAILED' && j;
      },
      120_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await jobDiagnosis(job)}`);
    });

  it('delivers the FAILED alert naming the job, the rule and the root cause, and lists it in the history', async () => {
    const sql = failingSql(JOB);
    const hook = receiver.url;
    for (const args of [
      ['job', 'create', '--name', JOB, '--sql-file', sql, '--target', 'local-1.20', '--restart', 'none'],
      ['alert', 'channel', 'add', 'receiver', '--type', 'webhook', '--url', hook],
      [
        'alert',
        'rule',
        'add',
        RULE,
        '--job',
        JOB,
        '--when',
        'failed',
        '--severity',
        'critical',
        '--channel',
        'receiver',
      ],
      ['job', 'start', JOB],
    ]) {
      const r = await runSluice(url, args);
      expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const failed = await failedJob(JOB);
    expect(failed.stateReason).toMatch(/NumberFormatException|For input string: "x11"/);

    const message = await waitFor(
      'the receiver to get the alert',
      async () => receiver.received.find((m) => m.body.includes(RULE)),
      90_000,
    );
    expect(message.body).toContain(JOB);
    expect(message.body).toMatch(/NumberFormatException|For input string/);

    const history = await client.alerts.history(JOB);
    expect(history[0]).toMatchObject({
      rule: RULE,
      job: JOB,
      channel: 'receiver',
      status: 'firing',
      severity: 'critical',
      delivery: expect.stringMatching(/^sent in 1 message/) as string,
      rootCause: expect.stringMatching(/NumberFormatException|For input string/) as string,
    });
    const listed = await runSluice(url, ['alert', 'history', '--job', JOB]);
    expect(listed.stdout).toContain(RULE);
  }, 300_000);

  it("a rule per space fires for the failing job of its space, naming it, and not for another space's", async () => {
    // JOB (space default) is FAILED from the test above: the rule per space must pass it over.
    expect((await client.jobs.get(JOB)).state).toBe('FAILED');
    await sluice(
      ['space', 'create', SPACE],
      [
        'job',
        'create',
        '--name',
        SPACE_JOB,
        '--sql-file',
        failingSql(SPACE_JOB),
        '--target',
        'local-1.20',
        '--restart',
        'none',
        '--space',
        SPACE,
      ],
      // No --job: every job of the space, the ones made after it too.
      ['alert', 'rule', 'add', SPACE_RULE, '--space', SPACE, '--when', 'failed', '--channel', 'receiver'],
    );
    const saved = await client.alerts.rule(SPACE_RULE);
    expect(saved).toMatchObject({ job: null, space: SPACE, kind: 'failed' });
    // Sluice's series carry each job's space, which the rule matches.
    const states = await t.platform.prometheusQuery.instant(`sluice_job_state{exported_job="${JOB}"} == 1`);
    expect(states.map((s) => s.labels.space)).toEqual(['default']);

    // The CLI follows the job's alerts from before the start: the alert reaches it over the event stream.
    const following = followSluice(url, ['alert', 'history', '--job', SPACE_JOB, '--follow', '--json']);
    try {
      await waitFor('the CLI to follow', async () => following.stderr().includes('(following:'), 30_000);
      expect(following.stdout()).toBe('');
      await sluice(['job', 'start', SPACE_JOB]);
      const pushed = await waitFor(
        'the alert to reach the following CLI',
        async () =>
          following
            .stdout()
            .split('\n')
            .find((l) => l.includes(SPACE_RULE)),
        120_000,
      );
      expect(JSON.parse(pushed)).toMatchObject({ rule: SPACE_RULE, job: SPACE_JOB, status: 'firing' });
    } finally {
      const ended = await following.stop();
      expect(ended.code, ended.stderr).toBe(0);
    }
    const failed = await failedJob(SPACE_JOB);
    expect(failed.stateReason).toMatch(/NumberFormatException|For input string: "x11"/);

    const message = await waitFor(
      'the receiver to get the alert of the rule per space',
      async () => receiver.received.find((m) => m.body.includes(SPACE_RULE)),
      90_000,
    );
    expect(message.body).toContain(SPACE_JOB);
    expect(message.body).toMatch(/NumberFormatException|For input string/);
    // Prometheus fires the rule for the space's job only: JOB, FAILED as well, is in another space.
    const firing = await t.platform.prometheusQuery.instant(`ALERTS{alertname="${SPACE_RULE}"}`);
    expect(firing.map((a) => a.labels.exported_job)).toEqual([SPACE_JOB]);
    expect(
      receiver.received.filter((m) => m.body.includes(SPACE_RULE) && m.body.includes(`${JOB} is`)),
    ).toEqual([]);

    // The job's alert history and its rules name the rule of its space.
    expect((await client.alerts.history(SPACE_JOB))[0]).toMatchObject({
      rule: SPACE_RULE,
      job: SPACE_JOB,
      status: 'firing',
      delivery: expect.stringMatching(/^sent in 1 message/) as string,
      rootCause: expect.stringMatching(/NumberFormatException|For input string/) as string,
    });
    expect((await client.alerts.history(JOB)).map((a) => a.rule)).not.toContain(SPACE_RULE);
    expect((await client.alerts.rules(SPACE_JOB)).map((r) => r.name)).toEqual([SPACE_RULE]);
    expect((await client.alerts.rules(JOB)).map((r) => r.name)).toEqual([RULE]);
  }, 300_000);
});
