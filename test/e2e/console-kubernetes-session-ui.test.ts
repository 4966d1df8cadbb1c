import path from 'node:path';
import type { Browser, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SHOTS, signedInPage } from '../support/console.ts';
import { onKubernetes, servedPerDescribe } from '../support/kubernetes/e2e.ts';
import { waitFor } from '../support/kubernetes/namespace.ts';

/**
 * Flink's own Web UI of a standalone session cluster on Kubernetes, through Sluice's read-only proxy at
 * `/flink/<target>/` (the API server's service proxy behind it), in Debian's Chromium against the
 * real local cluster (reused, never stopped here): the UI renders its overview with the session's
 * TaskManager, and its own "Cancel Job" button on a job running in the session is refused by the proxy
 * with Sluice's message in Flink's notification, the job running on.
 */
const NAMESPACE = 'h-session-ui';
const FLINK_VERSION = '1.20.3';
const TARGET = 'k8s-session-ui';

const k8s = onKubernetes({ namespace: NAMESPACE, flinkVersion: FLINK_VERSION });

describe("a Kubernetes session's Flink Web UI through Sluice", () => {
  const s = servedPerDescribe({
    // A failed test must not leave the session's pods running: stopped before the namespace goes.
    beforeClose: async (t) => {
      await t.platform.targets.stop(TARGET);
    },
  });
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    "renders the session's overview with its TaskManager and refuses the UI's Cancel Job, the job running on",
    async () => {
      const added = await s.sluice(
        'target',
        'add',
        TARGET,
        '--kubernetes',
        '--kubeconfig',
        k8s.cluster.kubeconfig,
        '--namespace',
        NAMESPACE,
        '--mode',
        'standalone',
        '--image-pull-policy',
        'Never',
        '--shared-dir',
        k8s.shared,
        '--session',
        '--task-managers',
        '1',
        '--slots',
        '2',
      );
      expect(added.code, added.stderr).toBe(0);
      const started = await s.sluice('cluster', 'start', TARGET);
      expect(started.code, started.stderr).toBe(0);
      const p = s.t.platform;
      await p.jobs.create(
        {
          name: 'ui',
          sql: `CREATE TABLE numbers (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5');
CREATE TABLE sink (n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT n FROM numbers;
`,
          target: TARGET,
        },
        s.author,
      );
      const start = await s.run(p.jobs.start('ui', {}, s.author));
      expect(start.status, JSON.stringify(start.steps.at(-1))).toBe('succeeded');
      await p.tracker.tick();
      const jid = (await p.jobs.get('ui')).flinkJobId!;
      expect((await p.jobs.get('ui')).state).toBe('RUNNING');

      const ui = `${s.url}/flink/${TARGET}`;
      const page = await signedInPage(browser!, s.url);
      const answers: { method: string; url: string; status: number }[] = [];
      page.on('response', (r: Response) =>
        answers.push({ method: r.request().method(), url: r.url(), status: r.status() }),
      );
      try {
        // The overview: Flink's statistic card with the session's one TaskManager and its two slots, one
        // of them taken by the job (the card's text runs its labels and numbers together).
        const overview = page.waitForResponse((r) => r.url().split('?')[0] === `${ui}/overview`);
        await page.goto(`${ui}/#/overview`);
        expect((await overview).status()).toBe(200);
        const card = page.locator('nz-card', { hasText: 'Available Task Slots' });
        await expect
          .poll(async () => (await card.innerText()).replace(/\s+/g, ''), { timeout: 30_000 })
          .toBe('AvailableTaskSlots1TotalTaskSlots2TaskManagers1');
        // The job running in the session, listed by the UI.
        await page.getByText('ui', { exact: true }).first().waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(SHOTS, '60-k8s-session-flink-ui-overview.png') });

        // The job's page and Flink's own Cancel Job button: refused by the proxy before it reaches Flink.
        await page.goto(`${ui}/#/job/running/${jid}/overview`);
        await page.getByText('Cancel Job', { exact: true }).waitFor({ timeout: 30_000 });
        expect(answers.filter((a) => a.status === 403)).toEqual([]);
        await page.getByText('Cancel Job', { exact: true }).click();
        await page.getByText('Cancel Job?').waitFor();
        const refusal = page.waitForResponse((r) => r.url().endsWith(`/jobs/${jid}/yarn-cancel`));
        await page.getByRole('button', { name: 'Yes' }).click();
        expect((await refusal).status()).toBe(403);
        const note = page.locator('.ant-notification-notice').filter({ hasText: 'Server Response Message:' });
        await note.waitFor({ timeout: 10_000 });
        expect(await note.textContent()).toContain(
          `/flink/${TARGET}/ is Sluice's read-only view of Flink's Web UI: cancelling job 'ui' (Flink job ${jid}) is refused here`,
        );
        expect(await note.textContent()).toContain('sluice job cancel ui');
        await page.screenshot({ path: path.join(SHOTS, '61-k8s-session-flink-ui-cancel-refused.png') });
        expect(answers.filter((a) => a.status === 403).map((a) => `${a.method} ${a.url}`)).toEqual([
          `GET ${ui}/jobs/${jid}/yarn-cancel`,
        ]);
      } finally {
        await page.close();
      }

      // The job runs on, as the session's JobManager and Sluice both say, with no cancel in its events.
      const observed = await (await p.targets.target(TARGET)).observer.observeJob(jid);
      expect(observed === 'absent' ? observed : observed.state).toBe('RUNNING');
      await p.tracker.tick();
      expect((await p.jobs.get('ui')).state).toBe('RUNNING');
      expect((await p.jobs.events('ui')).map((e) => e.to)).not.toContain('CANCELLING');

      const cancel = await s.run(p.jobs.cancel('ui', s.author));
      expect(cancel.status, JSON.stringify(cancel.steps.at(-1))).toBe('succeeded');
      const stopped = await s.sluice('cluster', 'stop', TARGET);
      expect(stopped.code, stopped.stderr).toBe(0);
      await waitFor('the session stopped', 60_000, async () =>
        (await p.targets.status(TARGET)).state === 'stopped' ? true : undefined,
      );
    },
    20 * 60_000,
  );
});
