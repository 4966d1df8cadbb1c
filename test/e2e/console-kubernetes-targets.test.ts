import * as k8s from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { clusterUp } from '../support/kubernetes/cluster.ts';

/**
 * The Deployment targets page with a Kubernetes target, in Debian's Chromium against a real `sluice
 * server` and the real local Kubernetes cluster (reused, never stopped here): the "Add Kubernetes
 * target" form shows the check that refused a registration, then registers it; the list shows its
 * kind, namespace and cluster, mode, image and checks; an operator target with its upgrade mode and
 * Flink options set in the form reads back the same through the API; a session target of the sizes
 * typed in the form (a refused size, and the server's refusal, each shown at its field) is listed and
 * read back with them, and its sizes changed while its session is stopped (never started here); a
 * target whose shared folder is a claim typed in the form is refused at that field while the claim does
 * not exist, then registered once it is Bound and shown with it; each is removed from the page.
 */
const NS = 'h-targets-console';

describe('the web console: Kubernetes targets', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let kubeconfig: string;
  let core: k8s.CoreV1Api;
  const row = (name: string) => page.locator('tr.ant-table-row', { hasText: name });
  // The claim a target's shared folder is on, and its volume (cluster-wide: the namespace's deletion
  // leaves it), deleted after their test and again after all, should that test end before its own cleanup.
  const CLAIMED = { claim: 'sluice-console-shared', volume: `${NS}-sluice-console-shared` };
  const dropClaim = async () => {
    await core
      ?.deleteNamespacedPersistentVolumeClaim({ name: CLAIMED.claim, namespace: NS })
      .catch(() => undefined);
    await core?.deletePersistentVolume({ name: CLAIMED.volume }).catch(() => undefined);
  };

  beforeAll(async () => {
    ({ kubeconfig } = await clusterUp());
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    // A run right after another finds the namespace still Terminating (its default service account
    // already gone, which an operator target's check refuses): wait until it is gone first.
    for (let i = 0; i < 120; i++) {
      const ns = await core.readNamespace({ name: NS }).catch(() => null);
      if (ns?.status?.phase !== 'Terminating') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await core.createNamespace({ body: { metadata: { name: NS } } }).catch((e: k8s.ApiException<unknown>) => {
      if (e.code !== 409) throw e;
    });
    c = await startConsole('console-k8s-targets');
    page = c.page;
  }, 600_000);
  afterAll(async () => {
    await dropClaim();
    await c?.close();
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  it('registers a Kubernetes target from the form, after showing the check that refused it, and lists it healthy', async () => {
    await page.goto(`${c.base}/targets`);
    await page.getByTestId('target-kubernetes').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('kubernetes-name').fill('k8s-console');
    await dialog.getByTestId('kubernetes-namespace').fill('h-targets-absent');
    await dialog.getByLabel('Kubeconfig file', { exact: true }).fill(kubeconfig);
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog
      .getByTestId('kubernetes-error')
      .getByText(
        /namespace h-targets-absent does not exist on https:\/\/127\.0\.0\.1:\d+ \(context sluice-local\)/,
      )
      .waitFor();
    expect(
      ((await c.api('GET', '/targets')) as unknown as { name: string }[]).map((t) => t.name),
    ).not.toContain('k8s-console');

    await dialog.getByTestId('kubernetes-namespace').fill(NS);
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const target = row('k8s-console');
    await target.getByText('Kubernetes · standalone').waitFor();
    await target.getByTestId('cluster-state').filter({ hasText: 'ok' }).waitFor();
    const where = target.getByTestId('kubernetes-where');
    await where.getByText(NS, { exact: true }).waitFor();
    await where.getByText(/^flink:1\.20\.\d+-java17$/).waitFor();
    expect(await where.textContent()).toMatch(/sluice-local\s*https:\/\/127\.0\.0\.1:\d+/);
    const checks = target.getByTestId('kubernetes-checks');
    for (const name of ['kubeconfig', 'API server', 'namespace', 'permissions', 'operator CRDs'])
      await checks.getByText(name, { exact: true }).waitFor();
    expect(await checks.locator('.ant-badge-status-error').count()).toBe(0);

    // Its details: where it is and each check in words.
    await target.locator('.ant-table-row-expand-icon').click();
    const details = page.getByTestId('cluster-details-k8s-console');
    // The count follows the mode's permission list (grown since with pods/log, events...).
    await details.getByText(/^\d+ permissions granted$/).waitFor();
    await details.getByText(/^Kubernetes v1\.34\.\d+ at https:\/\/127\.0\.0\.1:\d+$/).waitFor();
    await c.shot('kubernetes-target');
  });

  it('registers an operator target with its upgrade mode and Flink options, as the API then shows them', async () => {
    await page.getByTestId('target-kubernetes').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('kubernetes-name').fill('k8s-op-console');
    await dialog.getByTestId('kubernetes-namespace').fill(NS);
    await dialog.getByLabel('Kubeconfig file', { exact: true }).fill(kubeconfig);
    // The upgrade mode is the operator's: offered only once the mode is operator.
    expect(await dialog.getByTestId('kubernetes-upgrade-mode').count()).toBe(0);
    const choose = (select: string, option: RegExp) => chooseOption(dialog.getByTestId(select), option);
    await choose('kubernetes-mode', /^operator: /);
    await choose('kubernetes-upgrade-mode', /^last-state: /);
    const options = [
      ['kubernetes.rest-service.exposed.type', 'NodePort'],
      ['kubernetes.taskmanager.node-selector', 'disk:ssd'],
    ];
    for (const [i, [key, value]] of options.entries()) {
      await dialog.getByTestId('kubernetes-add-option').click();
      await dialog.getByTestId('kubernetes-option-key').nth(i).fill(key!);
      await dialog.getByTestId('kubernetes-option-value').nth(i).fill(value!);
    }
    await dialog.getByRole('button', { name: 'Register' }).click();
    // Closed, or what the form says instead (a refusal), so that a failure names its cause.
    const refusal = dialog.getByTestId('kubernetes-error');
    await Promise.race([dialog.waitFor({ state: 'hidden' }), refusal.waitFor()]);
    if (await dialog.isVisible())
      throw new Error(`the dialog stayed open: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
    await row('k8s-op-console').getByText('Kubernetes · operator').waitFor();

    const shown = (await c.api('GET', '/targets/k8s-op-console')) as unknown as {
      kubernetes: {
        spec: { mode: string; upgradeMode?: string; flinkConfiguration?: Record<string, string> };
      };
    };
    expect(shown.kubernetes.spec).toMatchObject({
      mode: 'operator',
      upgradeMode: 'last-state',
      flinkConfiguration: Object.fromEntries(options),
    });
    await row('k8s-op-console').locator('.ant-table-row-expand-icon').click();
    const details = page.getByTestId('cluster-details-k8s-op-console');
    await details.getByText('last-state', { exact: true }).waitFor();
    await details
      .getByTestId('kubernetes-flink-options')
      .getByText(/NodePort/)
      .waitFor();
    await c.shot('kubernetes-operator-target');
    await row('k8s-op-console').getByTestId('target-remove').click();
    // The removal's answer first, so that a row left in place says whether the delete was sent and how
    // it ended (the suite once saw the row stay 30 s, with no more said).
    const removed = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().endsWith('/targets/k8s-op-console'),
      { timeout: 60_000 },
    );
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click();
    const answer = await removed;
    expect(answer.status(), await answer.text()).toBeLessThan(300);
    await row('k8s-op-console').waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('registers a session target of the sizes typed in the form, showing each refusal at its field, and changes them while it is stopped', async () => {
    await c.explaining(async () => {
      await page.getByTestId('target-kubernetes').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('kubernetes-name').fill('k8s-session-console');
      await dialog.getByTestId('kubernetes-namespace').fill(NS);
      await dialog.getByLabel('Kubeconfig file', { exact: true }).fill(kubeconfig);
      // The sizes are offered once "Session cluster" is ticked, each empty one showing the server's default.
      expect(await dialog.getByTestId('session-taskManagers').count()).toBe(0);
      await dialog.getByTestId('kubernetes-session').check();
      const size = (f: string) => dialog.getByTestId(`session-${f}`);
      expect(await size('taskManagers').getAttribute('placeholder')).toBe('1');
      expect(await size('slotsPerTaskManager').getAttribute('placeholder')).toBe('4');
      expect(await size('jobManagerMemory').getAttribute('placeholder')).toBe('1024m');
      expect(await size('taskManagerMemory').getAttribute('placeholder')).toBe('1536m');
      expect(await size('gatewayMemory').getAttribute('placeholder')).toBe('512m');
      // Every mode's session runs a SQL Gateway beside its JobManager, the operator's too: its memory stays.
      await chooseOption(dialog.getByTestId('kubernetes-mode'), /^operator: /);
      expect(await size('gatewayMemory').getAttribute('placeholder')).toBe('512m');
      await chooseOption(dialog.getByTestId('kubernetes-mode'), /^standalone: /);

      // The session needs a shared folder: the server's refusal is shown at that field, not above the form.
      await size('taskManagers').fill('2');
      await dialog.getByRole('button', { name: 'Register' }).click();
      const itemOf = (input: string) =>
        dialog
          .locator('.ant-form-item', { has: page.locator(input) })
          .locator('.ant-form-item-explain-error');
      await itemOf('input[placeholder="/srv/flink"]')
        .getByText(/^a session target on Kubernetes needs a shared folder \(--shared-dir <path>/)
        .waitFor();
      expect(await dialog.getByTestId('kubernetes-error').count()).toBe(0);

      // A TaskManager smaller than Flink starts with: refused at its field by the server's own rule, nothing sent.
      await dialog.getByPlaceholder('/srv/flink').fill('/srv/sluice-console-session');
      // Edited, the field no longer shows the refusal of what it held before.
      await itemOf('input[placeholder="/srv/flink"]').waitFor({ state: 'hidden' });
      await size('slotsPerTaskManager').fill('3');
      await size('jobManagerMemory').fill('1280m');
      await size('taskManagerMemory').fill('512m');
      await size('gatewayMemory').fill('384m');
      await dialog.getByRole('button', { name: 'Register' }).click();
      await itemOf('[data-testid="session-taskManagerMemory"]')
        .getByText(
          'taskManagerMemory: 512m is less than 1g, the least a TaskManager of Flink starts with: give at least 1g',
          { exact: true },
        )
        .waitFor();
      expect(
        ((await c.api('GET', '/targets')) as unknown as { name: string }[]).map((t) => t.name),
      ).not.toContain('k8s-session-console');
      await c.shot('kubernetes-session-form');

      await size('taskManagerMemory').fill('1g');
      await dialog.getByRole('button', { name: 'Register' }).click();
      const refusal = dialog.getByTestId('kubernetes-error');
      await Promise.race([dialog.waitFor({ state: 'hidden' }), refusal.waitFor()]);
      if (await dialog.isVisible())
        throw new Error(`the dialog stayed open: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);

      // The list says its sizes; the API has them. Its session cluster is not started here.
      const target = row('k8s-session-console');
      await target.getByTestId('cluster-state').filter({ hasText: 'stopped' }).waitFor();
      await target
        .getByTestId('kubernetes-session-sizes')
        .getByText('Session cluster: 2 TM × 3 slots, JM 1280m, TM 1g, SQL Gateway 384m', { exact: true })
        .waitFor();
      const sessionOf = async () =>
        (
          (await c.api('GET', '/targets')) as unknown as {
            name: string;
            kubernetes?: { spec: { session?: unknown } };
          }[]
        ).find((t) => t.name === 'k8s-session-console')?.kubernetes?.spec.session;
      expect(await sessionOf()).toEqual({
        taskManagers: 2,
        slotsPerTaskManager: 3,
        jobManagerMemory: '1280m',
        taskManagerMemory: '1g',
        gatewayMemory: '384m',
      });
      await c.shot('kubernetes-session-target');

      // Stopped, its sizes change here (the server's registration again, under its name).
      await target.getByTestId('session-sizes').click();
      const sizes = page.getByRole('dialog');
      const resize = (f: string) => sizes.getByTestId(`session-${f}`);
      expect(await resize('taskManagers').inputValue()).toBe('2');
      expect(await resize('gatewayMemory').inputValue()).toBe('384m');
      await resize('taskManagers').fill('9');
      await sizes.getByRole('button', { name: 'Save' }).click();
      await sizes.getByText('9 TaskManagers: use 1 to 8', { exact: true }).waitFor();
      await resize('taskManagers').fill('1');
      await resize('jobManagerMemory').fill('');
      await sizes.getByRole('button', { name: 'Save' }).click();
      await sizes.waitFor({ state: 'hidden' });
      await target
        .getByTestId('kubernetes-session-sizes')
        .getByText('Session cluster: 1 TM × 3 slots, JM 1024m, TM 1g, SQL Gateway 384m', { exact: true })
        .waitFor();
      expect(await sessionOf()).toEqual({
        taskManagers: 1,
        slotsPerTaskManager: 3,
        jobManagerMemory: '1024m',
        taskManagerMemory: '1g',
        gatewayMemory: '384m',
      });

      await target.getByTestId('target-remove').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click();
      await target.waitFor({ state: 'detached' });
    });
  });

  it('registers a target whose shared folder is a claim typed in the form: a missing one refused at its field, a Bound one saved and shown', async () => {
    // This cluster has no provisioner: the claim is bound by hand to a volume made for it (a hostPath,
    // never mounted here: registration only asks that the claim be Bound).
    const { claim, volume } = CLAIMED;
    try {
      await page.getByTestId('target-kubernetes').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('kubernetes-name').fill('k8s-claim-console');
      await dialog.getByTestId('kubernetes-namespace').fill(NS);
      await dialog.getByLabel('Kubeconfig file', { exact: true }).fill(kubeconfig);
      await dialog.getByPlaceholder('/srv/flink').fill('/srv/sluice-console-claim');
      const field = dialog.getByLabel('Shared folder claim (PVC)', { exact: true });
      await field.fill('sluice-console-absent');
      await dialog.getByRole('button', { name: 'Register' }).click();
      // The cluster's check refused it: said at the claim's field, not above the form.
      const claimError = dialog
        .locator('.ant-form-item', { has: page.getByTestId('kubernetes-shared-claim') })
        .locator('.ant-form-item-explain-error');
      await claimError
        .getByText(
          /^persistent volume claim sluice-console-absent does not exist in namespace h-targets-console on https:\/\/127\.0\.0\.1:\d+ \(context sluice-local\): the pods mount the shared folder from it; create it there/,
        )
        .waitFor();
      expect(await dialog.getByTestId('kubernetes-error').count()).toBe(0);
      expect(
        ((await c.api('GET', '/targets')) as unknown as { name: string }[]).map((t) => t.name),
      ).not.toContain('k8s-claim-console');
      await c.shot('kubernetes-claim-refused');

      await core.createPersistentVolume({
        body: {
          metadata: { name: volume },
          spec: {
            storageClassName: '',
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteMany'],
            persistentVolumeReclaimPolicy: 'Retain',
            claimRef: { namespace: NS, name: claim },
            hostPath: { path: '/srv/sluice-console-claim' },
          },
        },
      });
      await core.createNamespacedPersistentVolumeClaim({
        namespace: NS,
        body: {
          metadata: { name: claim },
          spec: {
            storageClassName: '',
            volumeName: volume,
            accessModes: ['ReadWriteMany'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      });
      for (let i = 0; ; i++) {
        const pvc = await core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: NS });
        if (pvc.status?.phase === 'Bound') break;
        if (i === 60) throw new Error(`claim ${claim} still ${pvc.status?.phase} after 60 s`);
        await new Promise((r) => setTimeout(r, 1000));
      }

      await field.fill(claim);
      // Edited, the field no longer shows the refusal of what it held before.
      await claimError.waitFor({ state: 'hidden' });
      await dialog.getByRole('button', { name: 'Register' }).click();
      const refusal = dialog.getByTestId('kubernetes-error');
      await Promise.race([dialog.waitFor({ state: 'hidden' }), refusal.waitFor(), claimError.waitFor()]);
      if (await dialog.isVisible())
        throw new Error(`the dialog stayed open: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);

      const target = row('k8s-claim-console');
      await target.getByTestId('cluster-state').filter({ hasText: 'ok' }).waitFor();
      const shown = (await c.api('GET', '/targets/k8s-claim-console')) as unknown as {
        kubernetes: { spec: { sharedDir: string | null; sharedClaim?: string | null } };
      };
      expect(shown.kubernetes.spec).toMatchObject({
        sharedDir: '/srv/sluice-console-claim',
        sharedClaim: claim,
      });
      await target.locator('.ant-table-row-expand-icon').click();
      const details = page.getByTestId('cluster-details-k8s-claim-console');
      const claimShown = details.locator('.ant-descriptions-item', { hasText: 'Shared folder claim (PVC)' });
      await claimShown.getByText(claim, { exact: true }).waitFor();
      // Its checks: the claim's among them, named in words, Bound.
      const claimCheck = details.locator('tr.ant-table-row', {
        has: page.getByText('shared folder claim', { exact: true }),
      });
      await claimCheck.getByText(`persistent volume claim ${claim} is Bound`, { exact: false }).waitFor();
      await claimCheck.locator('.ant-badge-status-success').waitFor();
      await c.shot('kubernetes-claim-target');

      await target.getByTestId('target-remove').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: 'OK' }).click();
      await target.waitFor({ state: 'detached' });
    } finally {
      await dropClaim();
    }
  });

  it('removes it from the page', async () => {
    await row('k8s-console').getByTestId('target-remove').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'OK' }).click();
    await row('k8s-console').waitFor({ state: 'detached' });
    expect(
      ((await c.api('GET', '/targets')) as unknown as { name: string }[]).map((t) => t.name),
    ).not.toContain('k8s-console');
  });
});
