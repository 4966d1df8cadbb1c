import * as k8s from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleUnderTest } from '../support/console.ts';
import { clusterUp } from '../support/kubernetes/cluster.ts';

/**
 * The Deployment targets page with a Kubernetes target, in Debian's Chromium against a real `sluice
 * server` and the real local Kubernetes cluster (reused, never stopped here): the "Add Kubernetes
 * target" form shows the check that refused a registration, then registers it; the list shows its
 * kind, namespace and cluster, mode, image and checks; it is removed from the page.
 */
const NS = 'h-targets-console';

describe('the web console: Kubernetes targets', () => {
  let c: ConsoleUnderTest;
  let page: Page;
  let kubeconfig: string;
  let core: k8s.CoreV1Api;
  const row = (name: string) => page.locator('tr.ant-table-row', { hasText: name });

  beforeAll(async () => {
    ({ kubeconfig } = await clusterUp());
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } }).catch((e: k8s.ApiException<unknown>) => {
      if (e.code !== 409) throw e;
    });
    c = await startConsole('console-k8s-targets');
    page = c.page;
  }, 600_000);
  afterAll(async () => {
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
    await details.getByText('22 permissions granted').waitFor();
    await details.getByText(/^Kubernetes v1\.34\.\d+ at https:\/\/127\.0\.0\.1:\d+$/).waitFor();
    await c.shot('kubernetes-target');
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
