import { describe, expect, it } from 'vitest';
import { keyTypedTwice, recordOfRows, rowsOfRecord } from './key-value-rows.ts';
import { UPGRADE_MODES as DOMAIN_MODES } from '../../../domain/targets/kubernetes-target.ts';
import { hasUpgradeMode, kubernetesRegistration, UPGRADE_MODES } from './kubernetes-target.ts';

describe('the Add Kubernetes target form', () => {
  it('asks for the trimmed fields in the chosen space, the Flink option rows as flinkConfiguration and the upgrade mode', () => {
    expect(
      kubernetesRegistration({
        name: ' k8s-op ',
        space: 'team-a',
        namespace: 'flink-jobs',
        mode: 'operator',
        kubeconfig: '/root/.kube/config',
        context: '',
        image: '  ',
        sharedDir: '/srv/flink',
        upgradeMode: 'last-state',
        session: true,
        flinkConfiguration: [
          { key: ' kubernetes.rest-service.exposed.type ', value: 'NodePort' },
          { key: '', value: 'a row left empty' },
          { key: 'sluice.ingress.annotations', value: '' },
        ],
      }),
    ).toEqual({
      name: 'k8s-op',
      space: 'team-a',
      namespace: 'flink-jobs',
      mode: 'operator',
      kubeconfig: '/root/.kube/config',
      sharedDir: '/srv/flink',
      upgradeMode: 'last-state',
      session: {},
      flinkConfiguration: {
        'kubernetes.rest-service.exposed.type': 'NodePort',
        'sluice.ingress.annotations': '',
      },
    });
  });

  it('leaves out an upgrade mode chosen before the mode changed, and options that were all removed', () => {
    expect(
      kubernetesRegistration({
        name: 'k8s',
        namespace: 'ns',
        mode: 'standalone',
        upgradeMode: 'stateless',
        session: false,
        flinkConfiguration: [],
      }),
    ).toEqual({ name: 'k8s', namespace: 'ns', mode: 'standalone' });
    expect(hasUpgradeMode('operator')).toBe(true);
    expect(hasUpgradeMode('native')).toBe(false);
    expect(hasUpgradeMode(undefined)).toBe(false);
    expect(UPGRADE_MODES).toEqual(DOMAIN_MODES);
  });
});

describe('key = value rows', () => {
  it('save as a record and load from one in its order', () => {
    const record = { b: '2', a: '1' };
    expect(rowsOfRecord(record)).toEqual([
      { key: 'b', value: '2' },
      { key: 'a', value: '1' },
    ]);
    expect(recordOfRows(rowsOfRecord(record))).toEqual(record);
    expect(recordOfRows([{ key: 'k' }])).toEqual({ k: '' });
    expect(recordOfRows(undefined)).toEqual({});
  });

  it('say which key is typed twice, trimmed', () => {
    const rows = [{ key: 'a' }, { key: ' a ' }, { key: 'b' }];
    expect(keyTypedTwice(rows, 'a')).toBe(true);
    expect(keyTypedTwice(rows, 'b')).toBe(false);
    expect(keyTypedTwice(rows, ' ')).toBe(false);
    expect(keyTypedTwice(undefined, 'a')).toBe(false);
  });
});
