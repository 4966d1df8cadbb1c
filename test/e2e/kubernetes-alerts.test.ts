import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/adapters/kubernetes/standalone/standalone-manifests.ts';
import { createClient, type SluiceClient } from '../../src/client/index.ts';
import { parseAlertmanagerSettings } from '../../src/domain/alerts/alertmanager-settings.ts';
import { parsePrometheusSettings } from '../../src/domain/metrics/prometheus-settings.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import { recordingReceiver } from '../support/alerts.ts';
import { authHeaders } from '../support/credentials.ts';
import { freshNamespace, kubeClients, waitFor } from '../support/kubernetes/namespace.ts';
import { clusterUp, TEST_IMAGE, type LocalCluster } from '../support/kubernetes/cluster.ts';
import type { TestPlatform } from '../support/platform.ts';

/**
 * The `pods-pending` alert on the real local cluster (reused, never stopped here): a job's
 * TaskManager pod on a Kubernetes standalone target asks more CPU than the node has and stays
 * Pending; Sluice's pod watch counts it in `sluice_job_pods_pending`, the embedded Prometheus
 * (Debian's) scrapes it and evaluates a `pods-pending` rule held for 5 s, the embedded Alertmanager
 * routes it to Sluice's webhook, and a webhook channel's local receiver gets the message naming the job
 * and the rule. The pod is made directly with the labels a start gives its pods (no Flink starts: a
 * job's start on the shared cluster costs minutes, and kubernetes-standalone.test.ts covers it); the
 * job stands in the store as a start leaves it, its Flink job id being the pod's.
 */

const NAMESPACE = 'h-alerts';
const TARGET = 'k8s-alerts';
const JOB = 'greedy';
const RULE = 'greedy-pending';
const RUN = 'a1'.repeat(16);

let cluster: LocalCluster;
let core: k8s.CoreV1Api;
let url: string;
let t: TestPlatform;
let close: (() => Promise<void>) | undefined;
let client: SluiceClient;
let receiver: Awaited<ReturnType<typeof recordingReceiver>> | undefined;

beforeAll(async () => {
  cluster = await clusterUp();
  ({ core } = kubeClients(cluster));
  await freshNamespace(core, NAMESPACE);
  receiver = await recordingReceiver();
  ({ t, url, close } = await servedPlatform({
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
  }));
  client = createClient({ baseUrl: url, headers: authHeaders(url) });
}, 10 * 60_000);

afterAll(async () => {
  await close?.();
  await receiver?.close();
  await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
}, 180_000);

describe('Kubernetes: the pods-pending alert', () => {
  it('fires for a job whose pod stays Pending on the real cluster and reaches a webhook receiver through Prometheus and Alertmanager', async () => {
    const sluice = async (...args: string[]) => {
      const r = await runSluice(url, args);
      expect(r.code, `sluice ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await t.platform.targets.registerKubernetes({
      name: TARGET,
      kubeconfig: cluster.kubeconfig,
      namespace: NAMESPACE,
      mode: 'standalone',
      imagePullPolicy: 'Never',
    });
    const sql = path.join(os.tmpdir(), `${JOB}-${process.pid}.sql`);
    fs.writeFileSync(
      sql,
      `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT id FROM src;`,
    );
    await sluice('job', 'create', '--name', JOB, '--sql-file', sql, '--target', TARGET);
    await sluice('alert', 'channel', 'add', 'receiver', '--type', 'webhook', '--url', receiver!.url);
    await sluice(
      'alert',
      'rule',
      'add',
      RULE,
      '--job',
      JOB,
      '--when',
      'pods-pending',
      '--for',
      '5s',
      '--severity',
      'warning',
      '--channel',
      'receiver',
    );
    // As a start leaves it while its TaskManager waits for the scheduler: its run's Flink job id set.
    const job = (await t.platform.store.jobs.getByName(JOB))!;
    await t.platform.store.jobs.updateRuntime(job.id, { flinkJobId: RUN, state: 'NOT_RUNNING' });
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: `flink-${JOB}-taskmanager`,
          labels: {
            [LABELS.managedBy]: 'sluice',
            [LABELS.target]: TARGET,
            [LABELS.job]: JOB,
            [LABELS.flinkJobId]: RUN,
            [LABELS.component]: 'taskmanager',
          },
        },
        spec: {
          containers: [
            {
              name: 'taskmanager',
              image: TEST_IMAGE,
              imagePullPolicy: 'Never',
              command: ['sleep', '3600'],
              resources: { requests: { cpu: '64', memory: '64Mi' } },
            },
          ],
        },
      },
    });
    // The tracker's round asks the target for the run's pod trouble, which starts its pod watch.
    const target = await t.platform.targets.target(TARGET);
    const trouble = await waitFor('the pod Unschedulable', 60_000, async () => {
      const x = await target.applications!.podTrouble!(RUN);
      return x?.reason === 'Unschedulable' ? x : undefined;
    });
    expect(trouble.detail).toMatch(/Insufficient cpu/);

    // Sluice's gauge, as the embedded Prometheus scraped it.
    const scraped = await waitFor('sluice_job_pods_pending 1 in Prometheus', 60_000, async () => {
      const [s] = await t.platform.prometheusQuery.instant(
        `sluice_job_pods_pending{job="sluice", exported_job="${JOB}"}`,
      );
      return s?.value === 1 ? s : undefined;
    });
    expect(scraped.labels).toMatchObject({ space: 'default', target: TARGET });

    const message = await waitFor('the receiver to get the pods-pending alert', 120_000, async () =>
      receiver!.received.find((m) => m.body.includes(RULE)),
    );
    // The message names the job and what the rule saw: its one Pending pod.
    expect(message.body).toContain(`${JOB} has 1 pods Pending (more than 0) for 5s`);
    const history = await client.alerts.history(JOB);
    expect(history[0]).toMatchObject({
      rule: RULE,
      job: JOB,
      channel: 'receiver',
      status: 'firing',
      severity: 'warning',
      delivery: expect.stringMatching(/^sent in 1 message/) as string,
    });

    // Once the pod is gone the run has no pod to count: the series leaves, and the alert resolves.
    await core.deleteNamespacedPod({
      name: `flink-${JOB}-taskmanager`,
      namespace: NAMESPACE,
      gracePeriodSeconds: 0,
    });
    await waitFor('sluice_job_pods_pending gone from Prometheus', 60_000, async () => {
      const left = await t.platform.prometheusQuery.instant(
        `sluice_job_pods_pending{job="sluice", exported_job="${JOB}"}`,
      );
      return left.length === 0 ? true : undefined;
    });
    const resolved = await waitFor('the alert resolved in the history', 120_000, async () => {
      const [h] = await client.alerts.history(JOB);
      return h?.status === 'resolved' ? h : undefined;
    });
    expect(resolved).toMatchObject({ rule: RULE, endsAt: expect.any(String) as string });
    fs.rmSync(sql, { force: true });
  }, 300_000);
});
