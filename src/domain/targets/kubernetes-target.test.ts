import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import {
  carriedState,
  keepsFlinkJobId,
  grantCommand,
  haPermissions,
  jobManagerPermissions,
  kubernetesKindOf,
  KUBERNETES_SESSION_DEFAULTS,
  kubernetesTargetSpecOf,
  officialFlinkImage,
  permissionText,
  requiredPermissions,
  wantsKubernetesHa,
  type KubernetesTargetInput,
} from './kubernetes-target.ts';

const input: KubernetesTargetInput = {
  name: 'prod-k8s',
  engineVersion: '1.20',
  kubeconfig: '/etc/sluice/kubeconfig',
  namespace: 'flink-jobs',
  mode: 'standalone',
};

/** The message a refused input gets, and the field it names. */
function refusal(change: Partial<KubernetesTargetInput>): { field: unknown; text: string } {
  try {
    kubernetesTargetSpecOf({ ...input, ...change }, '1.20.3');
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return { field: (e as SluiceError).details.field, text: (e as SluiceError).message };
  }
  throw new Error(`accepted: ${JSON.stringify(change)}`);
}

describe('a Kubernetes session target', () => {
  it('is one standalone session cluster with its sizes over the defaults, of its own kind', () => {
    const spec = kubernetesTargetSpecOf(
      { ...input, sharedDir: '/srv/shared', session: { taskManagers: 2, taskManagerMemory: '2g' } },
      '1.20.3',
    );
    expect(spec.session).toEqual({
      taskManagers: 2,
      slotsPerTaskManager: 4,
      jobManagerMemory: '1024m',
      taskManagerMemory: '2g',
      gatewayMemory: '512m',
    });
    expect(kubernetesKindOf(spec.mode, !!spec.session)).toBe('kubernetes-standalone-session');
    expect(kubernetesKindOf('standalone')).toBe('kubernetes-standalone');
    expect(kubernetesKindOf('operator', true)).toBe('kubernetes-operator-session');
    // Flink's native session: one more way, the same session sizes and the same shared folder.
    const native = kubernetesTargetSpecOf(
      { ...input, mode: 'native', sharedDir: '/srv/shared', session: {} },
      '1.20.3',
    );
    expect(native.session).toEqual(KUBERNETES_SESSION_DEFAULTS);
    expect(kubernetesKindOf(native.mode, true)).toBe('kubernetes-native-session');
    expect(refusal({ mode: 'native', session: {} }).field).toBe('sharedDir');
    // Without --session: a cluster per job, no session in the spec.
    expect(kubernetesTargetSpecOf(input, '1.20.3').session).toBeUndefined();
  });

  it('is refused without a shared folder and with sizes Flink does not start with', () => {
    expect(refusal({ session: {} })).toEqual({
      field: 'sharedDir',
      text: expect.stringContaining('needs a shared folder (--shared-dir <path>'),
    });
    expect(refusal({ sharedDir: '/srv/s', session: { taskManagers: 0 } }).field).toBe('taskManagers');
    expect(refusal({ sharedDir: '/srv/s', session: { slotsPerTaskManager: 65 } }).field).toBe(
      'slotsPerTaskManager',
    );
    expect(refusal({ sharedDir: '/srv/s', session: { taskManagerMemory: '512m' } })).toEqual({
      field: 'taskManagerMemory',
      text: expect.stringContaining('1g'),
    });
    expect(refusal({ sharedDir: '/srv/s', session: { jobManagerMemory: 'lots' } }).field).toBe(
      'jobManagerMemory',
    );
  });

  it("takes a gateway's memory in every mode: each one's session runs a SQL Gateway beside its JobManager", () => {
    for (const mode of ['standalone', 'native', 'operator'] as const)
      expect(
        kubernetesTargetSpecOf(
          { ...input, mode, sharedDir: '/srv/s', session: { gatewayMemory: '768m' } },
          '1.20.3',
        ).session?.gatewayMemory,
      ).toBe('768m');
  });

  it("asks for Kubernetes HA by Flink's own option, which needs the account that keeps HA's ConfigMaps", () => {
    const ha = { 'high-availability.type': 'kubernetes' };
    // A standalone target, session or not, naming no service account is refused: the namespace's
    // default account may not keep HA's ConfigMaps.
    for (const session of [{}, null])
      expect(refusal({ sharedDir: '/srv/s', session, flinkConfiguration: ha })).toEqual({
        field: 'serviceAccount',
        text: expect.stringContaining('register target prod-k8s with --service-account'),
      });
    const spec = kubernetesTargetSpecOf(
      { ...input, sharedDir: '/srv/s', session: {}, serviceAccount: 'flink', flinkConfiguration: ha },
      '1.20.3',
    );
    expect(wantsKubernetesHa(spec.flinkConfiguration!)).toBe(true);
    expect(
      wantsKubernetesHa({
        'high-availability.type': 'org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory',
      }),
    ).toBe(true);
    expect(wantsKubernetesHa({ 'high-availability.type': 'NONE' })).toBe(false);
    expect(wantsKubernetesHa({})).toBe(false);
    expect(haPermissions().map(permissionText)).toEqual([
      'create configmaps',
      'get configmaps',
      'list configmaps',
      'watch configmaps',
      'update configmaps',
      'patch configmaps',
      'delete configmaps',
    ]);
  });
});

describe('a Kubernetes target spec', () => {
  it('takes the defaults: the engine’s official image, IfNotPresent, no secrets, the current context', () => {
    expect(kubernetesTargetSpecOf(input, '1.20.3')).toEqual({
      name: 'prod-k8s',
      engineVersion: '1.20',
      kubeconfig: '/etc/sluice/kubeconfig',
      context: null,
      namespace: 'flink-jobs',
      mode: 'standalone',
      image: 'flink:1.20.3-java17',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: [],
      serviceAccount: null,
      sharedDir: null,
      platformUrl: null,
    });
    expect(officialFlinkImage('1.19.2')).toBe('flink:1.19.2-java17');
    const own = kubernetesTargetSpecOf(
      {
        ...input,
        kubeconfig: null,
        mode: 'native',
        image: 'registry.example.com:5000/team/flink:1.20.3@sha256:' + 'a'.repeat(64),
        imagePullPolicy: 'Always',
        imagePullSecrets: ['regcred'],
        serviceAccount: 'flink',
        sharedDir: '/srv/flink/../flink-shared/',
      },
      '1.20.3',
    );
    expect(own).toMatchObject({
      kubeconfig: null,
      mode: 'native',
      imagePullPolicy: 'Always',
      imagePullSecrets: ['regcred'],
      serviceAccount: 'flink',
      sharedDir: '/srv/flink-shared/',
    });
  });

  it('refuses each wrong field by name, saying what a right one is', () => {
    expect(refusal({ name: 'Prod_K8s' })).toEqual({
      field: 'name',
      text: "name: 'Prod_K8s' is not a valid deployment target name: use lower-case letters, digits, '.' and '-'",
    });
    expect(refusal({ mode: 'session' })).toEqual({
      field: 'mode',
      text: "mode: 'session' is not a way to run jobs on Kubernetes: use operator, native or standalone",
    });
    for (const namespace of ['Flink', 'flink.jobs', '-flink', 'a'.repeat(64)])
      expect(refusal({ namespace })).toMatchObject({
        field: 'namespace',
        text: expect.stringContaining('DNS-1123 label'),
      });
    expect(refusal({ kubeconfig: 'kube/config' })).toMatchObject({
      field: 'kubeconfig',
      text: expect.stringContaining('is not an absolute path'),
    });
    expect(refusal({ kubeconfig: null, context: 'prod' })).toMatchObject({
      field: 'context',
      text: expect.stringContaining('in-cluster service account'),
    });
    expect(refusal({ image: 'flink 1.20' })).toMatchObject({
      field: 'image',
      text: expect.stringContaining('e.g. flink:1.20.3-java17'),
    });
    expect(refusal({ imagePullPolicy: 'always' })).toMatchObject({
      field: 'imagePullPolicy',
      text: expect.stringContaining('use Always, IfNotPresent or Never'),
    });
    expect(refusal({ serviceAccount: 'Flink SA' }).field).toBe('serviceAccount');
    expect(refusal({ imagePullSecrets: ['ok', 'NOT_OK'] }).text).toContain("'NOT_OK' is not a secret name");
    expect(refusal({ sharedDir: 'shared' })).toMatchObject({
      field: 'sharedDir',
      text: expect.stringContaining('same absolute path on Sluice'),
    });
    for (const platformUrl of ['10.0.0.5:8080', 'ftp://sluice', 'http://u:p@sluice', 'http://sluice/?a=1'])
      expect(refusal({ platformUrl })).toMatchObject({
        field: 'platformUrl',
        text: expect.stringContaining('as the pods reach it'),
      });
  });

  it('keeps a platform URL without its trailing slash: the pods fetch the jars from it', () => {
    expect(
      kubernetesTargetSpecOf({ ...input, platformUrl: 'http://10.0.0.5:8080/' }, '1.20.3').platformUrl,
    ).toBe('http://10.0.0.5:8080');
  });
});

describe('a target whose pods fetch the jars from S3', () => {
  it('is a standalone per-job target, with the endpoint the pods reach when it differs', () => {
    expect(
      kubernetesTargetSpecOf(
        { ...input, artifactsFrom: 's3', s3EndpointForPods: 'http://minio.storage:9000/' },
        '1.20.3',
      ),
    ).toMatchObject({ artifactsFrom: 's3', s3EndpointForPods: 'http://minio.storage:9000', sharedDir: null });
    expect(kubernetesTargetSpecOf({ ...input, artifactsFrom: 's3' }, '1.20.3')).not.toHaveProperty(
      's3EndpointForPods',
    );
    expect(kubernetesTargetSpecOf(input, '1.20.3')).not.toHaveProperty('artifactsFrom');
  });

  it("is the operator's and native application ways' too", () => {
    for (const mode of ['operator', 'native'] as const)
      expect(
        kubernetesTargetSpecOf({ ...input, mode, serviceAccount: 'flink', artifactsFrom: 's3' }, '1.20.3'),
      ).toMatchObject({ mode, artifactsFrom: 's3', sharedDir: null });
  });

  it('is refused elsewhere, beside a platform URL, with another source or a bad endpoint', () => {
    expect(refusal({ artifactsFrom: 'gcs' })).toMatchObject({
      field: 'artifactsFrom',
      text: expect.stringContaining("'gcs' is not where the pods can fetch a run's jars from"),
    });
    for (const mode of ['standalone', 'operator', 'native'] as const)
      expect(
        refusal({
          artifactsFrom: 's3',
          mode,
          serviceAccount: 'flink',
          sharedDir: '/srv/shared',
          session: {},
        }),
      ).toMatchObject({
        field: 'artifactsFrom',
        text: expect.stringContaining(`not the ${mode} session way`),
      });
    expect(refusal({ artifactsFrom: 's3', platformUrl: 'http://10.0.0.5:8080' })).toMatchObject({
      field: 'artifactsFrom',
      text: expect.stringContaining('--artifacts-from s3 and the platform URL http://10.0.0.5:8080'),
    });
    expect(refusal({ s3EndpointForPods: 'http://minio:9000' })).toMatchObject({
      field: 's3EndpointForPods',
      text: expect.stringContaining('add --artifacts-from s3'),
    });
    expect(refusal({ artifactsFrom: 's3', s3EndpointForPods: 'minio:9000' })).toMatchObject({
      field: 's3EndpointForPods',
      text: expect.stringContaining('as the pods reach it'),
    });
  });
});

describe("an operator target's upgrade mode", () => {
  it('is savepoint unless named; only operator targets have one', () => {
    expect(kubernetesTargetSpecOf({ ...input, mode: 'operator' }, '1.20.3').upgradeMode).toBe('savepoint');
    for (const mode of ['savepoint', 'last-state', 'stateless'] as const)
      expect(
        kubernetesTargetSpecOf({ ...input, mode: 'operator', upgradeMode: mode }, '1.20.3').upgradeMode,
      ).toBe(mode);
    expect(kubernetesTargetSpecOf(input, '1.20.3')).not.toHaveProperty('upgradeMode');
  });

  it('keeps the Flink job id only for last-state, whose HA data Flink finds by it', () => {
    expect(keepsFlinkJobId('last-state')).toBe(true);
    expect(keepsFlinkJobId('savepoint')).toBe(false);
    expect(keepsFlinkJobId('stateless')).toBe(false);
    expect(carriedState('savepoint', 'file:/sp/savepoint-1')).toBe(
      'savepoint file:/sp/savepoint-1 (upgrade mode savepoint)',
    );
    expect(carriedState('stateless', null)).toMatch(/starts empty/);
  });

  it('refuses a mode the operator does not know, and one on a target without the operator', () => {
    expect(refusal({ mode: 'operator', upgradeMode: 'last_state' })).toMatchObject({
      field: 'upgradeMode',
      text: expect.stringContaining("'last_state' is not an upgrade mode: use savepoint"),
    });
    expect(refusal({ upgradeMode: 'savepoint' })).toMatchObject({
      field: 'upgradeMode',
      text: expect.stringContaining("the target's mode is standalone: leave --upgrade-mode out"),
    });
  });
});

describe('the permissions of each mode', () => {
  it('standalone and native: apply ConfigMaps, Secrets, Services, Deployments; watch pods, their logs and events', () => {
    const names = requiredPermissions('standalone').map(permissionText);
    expect(names).toEqual(requiredPermissions('native').map(permissionText));
    for (const verb of ['create', 'get', 'list', 'watch', 'delete', 'patch'])
      for (const r of ['configmaps', 'secrets', 'services', 'deployments.apps'])
        expect(names).toContain(`${verb} ${r}`);
    expect(names).toContain('get pods/log');
    expect(names).toContain('watch events');
    expect(names).not.toContain('create pods');
    expect(names).toContain('get services/proxy');
  });

  it("native's JobManager account: its TaskManager pods, Kubernetes HA's ConfigMaps, its own Deployment", () => {
    expect(jobManagerPermissions().map(permissionText)).toEqual([
      'create pods',
      'delete pods',
      'get pods',
      'list pods',
      'watch pods',
      'create configmaps',
      'get configmaps',
      'list configmaps',
      'watch configmaps',
      'update configmaps',
      'patch configmaps',
      'delete configmaps',
      'get deployments.apps',
    ]);
  });

  it("operator: the operator's resources, not the objects the operator makes", () => {
    const names = requiredPermissions('operator').map(permissionText);
    for (const r of ['flinkdeployments', 'flinksessionjobs', 'flinkstatesnapshots'])
      for (const verb of ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'])
        expect(names).toContain(`${verb} ${r}.flink.apache.org`);
    expect(names.some((n) => n.includes('deployments.apps'))).toBe(false);
    // The plan Secret is Sluice's; what the operator makes is read, Flink REST goes through the proxy.
    for (const verb of ['create', 'get', 'patch', 'delete']) expect(names).toContain(`${verb} secrets`);
    for (const r of ['configmaps', 'services', 'pods', 'events']) expect(names).toContain(`watch ${r}`);
    expect(names).toContain('get services/proxy');
    expect(names).toContain('get pods/log');
    expect(names).not.toContain('create services');
  });

  it("operator session: applies its SQL Gateway's ConfigMap and Service beside the session FlinkDeployment", () => {
    const names = requiredPermissions('operator', true).map(permissionText);
    for (const verb of ['create', 'get', 'patch', 'delete'])
      for (const r of ['configmaps', 'services']) expect(names).toContain(`${verb} ${r}`);
    expect(names).toContain('create flinksessionjobs.flink.apache.org');
    expect(names.some((n) => n.includes('deployments.apps'))).toBe(false);
  });

  it('reads the shared folder’s claim only when the target names one', () => {
    for (const mode of ['standalone', 'native', 'operator'] as const) {
      expect(requiredPermissions(mode).map(permissionText)).not.toContain('get persistentvolumeclaims');
      expect(requiredPermissions(mode, false, true).map(permissionText)).toEqual([
        ...requiredPermissions(mode).map(permissionText),
        'get persistentvolumeclaims',
      ]);
    }
  });

  it('grants missing ones with kubectl: edit for core and apps, a role of its own for the operator’s CRDs', () => {
    const standalone = requiredPermissions('standalone');
    expect(grantCommand(standalone, 'flink-jobs', 'system:serviceaccount:flink-jobs:sluice', 'prod')).toBe(
      'kubectl create rolebinding sluice-prod --clusterrole=edit --serviceaccount=flink-jobs:sluice -n flink-jobs',
    );
    const operator = requiredPermissions('operator');
    expect(grantCommand(operator, 'ns1', 'alice', 'op')).toBe(
      'kubectl create role sluice-flink-operator --verb=create,get,list,watch,delete,update,patch --resource=flinkdeployments.flink.apache.org,flinksessionjobs.flink.apache.org,flinkstatesnapshots.flink.apache.org -n ns1 && ' +
        'kubectl create rolebinding sluice-op-operator --role=sluice-flink-operator --user=alice -n ns1 && ' +
        'kubectl create rolebinding sluice-op --clusterrole=edit --user=alice -n ns1',
    );
  });
});

describe("a Kubernetes target's shared claim", () => {
  it('is kept with its shared folder, and absent when none is named', () => {
    const spec = kubernetesTargetSpecOf(
      { ...input, sharedDir: '/mnt/sluice-shared/', sharedClaim: 'sluice-shared' },
      '1.20.3',
    );
    expect(spec).toMatchObject({ sharedDir: '/mnt/sluice-shared/', sharedClaim: 'sluice-shared' });
    expect('sharedClaim' in kubernetesTargetSpecOf({ ...input, sharedDir: '/srv/s' }, '1.20.3')).toBe(false);
    expect(
      'sharedClaim' in kubernetesTargetSpecOf({ ...input, sharedDir: '/srv/s', sharedClaim: '' }, '1.20.3'),
    ).toBe(false);
  });

  it('is refused without a shared folder (its root) and when it is not a claim name', () => {
    expect(refusal({ sharedClaim: 'sluice-shared' })).toEqual({
      field: 'sharedClaim',
      text: expect.stringContaining(
        'the shared claim sluice-shared needs the shared folder it holds: add --shared-dir',
      ),
    });
    for (const bad of ['Sluice-Shared', 'shared_claim', '-shared', 'a'.repeat(254)])
      expect(refusal({ sharedDir: '/srv/s', sharedClaim: bad })).toEqual({
        field: 'sharedClaim',
        text: expect.stringContaining(`'${bad}' is not a persistent volume claim name`),
      });
  });
});
