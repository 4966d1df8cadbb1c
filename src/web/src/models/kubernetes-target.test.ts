import { describe, expect, it } from 'vitest';
import { keyTypedTwice, recordOfRows, rowsOfRecord } from './key-value-rows.ts';
import {
  kubernetesTargetSpecOf,
  UPGRADE_MODES as DOMAIN_MODES,
} from '../../../domain/targets/kubernetes-target.ts';
import { checkSessionResources } from '../../../domain/clusters/local-cluster-spec.ts';
import { message, renderMessage } from '../../../domain/messages.ts';
import i18n from '../i18n/index.ts';
import {
  atField,
  hasUpgradeMode,
  JARS_FROM,
  jarsFromOf,
  kubernetesRegistration,
  refusedSessionField,
  SESSION_SIZE_DEFAULTS,
  sessionSizeProblem,
  sessionSizesText,
  sizesChange,
  sizesFormOf,
  UPGRADE_MODES,
} from './kubernetes-target.ts';

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

  it("asks for the shared folder's claim only when one is typed, trimmed, as the domain then keeps it", () => {
    const base = { name: 'k8s', namespace: 'ns', mode: 'standalone' as const, sharedDir: '/mnt/shared' };
    const claimed = kubernetesRegistration({ ...base, sharedClaim: ' sluice-shared ' });
    expect(claimed).toEqual({ ...base, sharedClaim: 'sluice-shared' });
    expect(kubernetesTargetSpecOf({ ...claimed, engineVersion: '1.20' }, '1.20.3')).toMatchObject({
      sharedDir: '/mnt/shared',
      sharedClaim: 'sluice-shared',
    });
    for (const empty of [undefined, '', '  '])
      expect('sharedClaim' in kubernetesRegistration({ ...base, sharedClaim: empty })).toBe(false);
  });

  it("shows the cluster's refusal of the claim at the claim's field, saying the problem only", () => {
    // A claim missing or not Bound is a failed check of the cluster: the server names the field.
    expect(refusedSessionField({ field: 'sharedClaim', check: 'sharedClaim' })).toBe('sharedClaim');
    const problem = message('kubernetes.sharedClaimNotBound', {
      claim: 'sluice-shared',
      namespace: 'ns',
      server: 'https://10.0.0.1:6443',
      context: 'prod',
      dir: '/mnt/shared',
      phase: 'Pending',
    });
    expect(atField(message('kubernetes.refusedTarget', { target: 'k8s', problem }))).toEqual(problem);
    // A check said in words only (no message) is shown whole, as the server said it.
    const worded = message('kubernetes.refusedTarget', { target: 'k8s', problem: 'cannot be read' });
    expect(atField(worded)).toEqual(worded);
  });
});

describe("a Kubernetes session's sizes in the console", () => {
  const en = i18n.getFixedT('en');

  it('asks for the sizes typed for the mode, memory trimmed, the empty ones left to the defaults', () => {
    const form = {
      name: 'k8s-s',
      namespace: 'ns',
      sharedDir: '/srv/s',
      session: true,
      sizes: {
        taskManagers: 2,
        slotsPerTaskManager: null,
        jobManagerMemory: ' 1280m ',
        taskManagerMemory: '',
        gatewayMemory: '768m',
      },
    };
    expect(kubernetesRegistration({ ...form, mode: 'native' }).session).toEqual({
      taskManagers: 2,
      jobManagerMemory: '1280m',
      gatewayMemory: '768m',
    });
    // The operator's session runs a SQL Gateway too: its memory is taken as on the other modes.
    expect(kubernetesRegistration({ ...form, mode: 'operator' }).session).toEqual({
      taskManagers: 2,
      jobManagerMemory: '1280m',
      gatewayMemory: '768m',
    });
    // Sizes typed and then the box unticked: no session at all.
    expect(kubernetesRegistration({ ...form, mode: 'standalone', session: false }).session).toBeUndefined();
  });

  it("judges one size by the server's rule, the others at their defaults, and says the problem without the field", () => {
    expect(sessionSizeProblem('taskManagers', 3)).toBeNull();
    expect(sessionSizeProblem('taskManagers', null)).toBeNull();
    expect(sessionSizeProblem('jobManagerMemory', ' ')).toBeNull();
    expect(sessionSizeProblem('taskManagers', 9)).toEqual(message('cluster.badTaskManagers', { value: '9' }));
    expect(sessionSizeProblem('slotsPerTaskManager', 1.5)).toEqual(
      message('cluster.badSlots', { value: '1.5' }),
    );
    // The very message the server sends for the same size.
    const said = sessionSizeProblem('taskManagerMemory', '512m');
    expect(said).not.toBeNull();
    expect(() => checkSessionResources({ ...SESSION_SIZE_DEFAULTS, taskManagerMemory: '512m' })).toThrow(
      renderMessage(said!),
    );
    expect(renderMessage(said!)).toBe(
      'taskManagerMemory: 512m is less than 1g, the least a TaskManager of Flink starts with: give at least 1g',
    );
    expect(sessionSizeProblem('gatewayMemory', 'lots')?.code).toBe('cluster.memoryNotASize');
    expect(
      atField(message('invalid.field', { field: 'x', problem: message('kubernetes.sessionNeedsSharedDir') })),
    ).toEqual(message('kubernetes.sessionNeedsSharedDir'));
  });

  it("asks for the jars from the chosen place only: the platform by its URL, S3 with the pods' endpoint", () => {
    const base = { name: 'k8s', namespace: 'ns', mode: 'native' as const, serviceAccount: 'flink' };
    const typed = { platformUrl: ' http://10.0.0.5:8080 ', s3EndpointForPods: ' http://minio:9000 ' };
    expect(kubernetesRegistration({ ...base, ...typed, jarsFrom: 's3' })).toEqual({
      ...base,
      artifactsFrom: 's3',
      s3EndpointForPods: 'http://minio:9000',
    });
    expect(kubernetesRegistration({ ...base, jarsFrom: 's3', s3EndpointForPods: ' ' })).toEqual({
      ...base,
      artifactsFrom: 's3',
    });
    expect(kubernetesRegistration({ ...base, ...typed, jarsFrom: 'platform' })).toEqual({
      ...base,
      platformUrl: 'http://10.0.0.5:8080',
    });
    for (const jarsFrom of ['sharedFolder', undefined] as const)
      expect(kubernetesRegistration({ ...base, ...typed, sharedDir: '/srv/flink', jarsFrom })).toEqual({
        ...base,
        sharedDir: '/srv/flink',
      });
    // What the form asks for is what the server's own rule accepts, and the details show it back.
    for (const jarsFrom of JARS_FROM) {
      const spec = kubernetesTargetSpecOf(
        // The server fills in the default engine before its rule runs.
        {
          engineVersion: '1.20',
          ...kubernetesRegistration({ ...base, ...typed, sharedDir: '/srv/flink', jarsFrom }),
        },
        '1.20.3',
      );
      expect(
        jarsFromOf({ platformUrl: spec.platformUrl ?? null, artifactsFrom: spec.artifactsFrom ?? null }),
      ).toBe(jarsFrom);
    }
    for (const w of JARS_FROM) {
      expect(i18n.t(`ws.targets.jarsFrom.${w}`)).not.toBe(`ws.targets.jarsFrom.${w}`);
      expect(i18n.t(`ws.targets.jarsFromHelp.${w}`)).not.toBe(`ws.targets.jarsFromHelp.${w}`);
    }
  });

  it("puts a server's refusal at its field: a size (also as the schema names it) or the shared folder", () => {
    expect(refusedSessionField({ field: 'taskManagerMemory' })).toEqual(['sizes', 'taskManagerMemory']);
    expect(refusedSessionField({ field: 'session.taskManagers' })).toEqual(['sizes', 'taskManagers']);
    expect(refusedSessionField({ field: 'sharedDir' })).toBe('sharedDir');
    // Where the jars come from: the API's artifactsFrom is the form's choice.
    expect(refusedSessionField({ field: 'artifactsFrom' })).toBe('jarsFrom');
    expect(refusedSessionField({ field: 's3EndpointForPods' })).toBe('s3EndpointForPods');
    expect(refusedSessionField({ field: 'platformUrl' })).toBe('platformUrl');
    expect(refusedSessionField({ field: 'namespace', check: 'namespace' })).toBeNull();
    expect(refusedSessionField(undefined)).toBeNull();
  });

  const spec = {
    name: 'k8s-ops',
    engineVersion: '1.20',
    kubeconfig: '/root/.kube/config',
    context: null,
    namespace: 'ns',
    mode: 'operator' as const,
    image: 'flink:1.20.3-java17',
    imagePullPolicy: 'IfNotPresent' as const,
    imagePullSecrets: ['regcred'],
    serviceAccount: 'flink',
    sharedDir: '/srv/s',
    flinkConfiguration: { 'kubernetes.rest-service.exposed.type': 'NodePort' },
    platformUrl: null,
    upgradeMode: 'last-state' as const,
    session: { ...SESSION_SIZE_DEFAULTS, taskManagers: 2 },
  };

  it('keeps the shared claim when it changes the sizes', () => {
    expect(sizesChange({ ...spec, sharedClaim: 'sluice-shared' }, sizesFormOf(spec))).toMatchObject({
      sharedDir: '/srv/s',
      sharedClaim: 'sluice-shared',
    });
    expect('sharedClaim' in sizesChange({ ...spec, sharedClaim: null }, sizesFormOf(spec))).toBe(false);
  });

  it('keeps an image with its own connectors when it changes the sizes', () => {
    expect(sizesChange({ ...spec, connectorsInImage: true }, sizesFormOf(spec))).toMatchObject({
      connectorsInImage: true,
    });
    expect('connectorsInImage' in sizesChange(spec, sizesFormOf(spec))).toBe(false);
  });

  it('changes the sizes by registering the stored spec again, with the new sizes', () => {
    expect(sizesFormOf(spec)).toEqual({
      taskManagers: 2,
      slotsPerTaskManager: 4,
      jobManagerMemory: '1024m',
      taskManagerMemory: '1536m',
      gatewayMemory: '512m',
    });
    expect(sizesChange(spec, { ...sizesFormOf(spec), slotsPerTaskManager: 8, gatewayMemory: '1g' })).toEqual({
      name: 'k8s-ops',
      engineVersion: '1.20',
      kubeconfig: '/root/.kube/config',
      namespace: 'ns',
      mode: 'operator',
      image: 'flink:1.20.3-java17',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: ['regcred'],
      serviceAccount: 'flink',
      sharedDir: '/srv/s',
      flinkConfiguration: { 'kubernetes.rest-service.exposed.type': 'NodePort' },
      upgradeMode: 'last-state',
      session: {
        taskManagers: 2,
        slotsPerTaskManager: 8,
        jobManagerMemory: '1024m',
        taskManagerMemory: '1536m',
        gatewayMemory: '1g',
      },
    });
  });

  it('says the sizes in short, the SQL Gateway beside the JobManager included', () => {
    expect(sessionSizesText(en, spec.session)).toBe('2 TM × 4 slots, JM 1024m, TM 1536m, SQL Gateway 512m');
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
