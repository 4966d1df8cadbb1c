import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../domain/errors.ts';
import { renderMessage } from '../../domain/messages.ts';
import { restExposureOf, restIngress } from './exposure.ts';
import {
  logMappingOf,
  mergePodTemplate,
  parseFlinkMap,
  parseTolerations,
  podCustomizationOf,
  readPodTemplateFiles,
  withoutPodOptions,
} from './pod-template.ts';

/** The refusal's English text: what the user reads. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return renderMessage((e as SluiceError).text!);
  }
  throw new Error('not refused');
}

const TEMPLATE = `apiVersion: v1
kind: Pod
metadata:
  labels: { team: data, app.kubernetes.io/managed-by: someone-else }
  annotations: { prometheus.io/scrape: "true" }
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{ key: kubernetes.io/os, operator: In, values: [linux] }]
  nodeSelector: { disk: ssd, zone: a }
  tolerations: [{ key: dedicated, operator: Equal, value: flink, effect: NoSchedule }]
  securityContext: { runAsNonRoot: true, fsGroup: 1 }
  initContainers: [{ name: wait, image: busybox, command: [sh, -c, "true"] }]
  containers:
    - name: flink-main-container
      image: ignored:1
      env: [{ name: TZ, value: UTC }, { name: JOB_MANAGER_RPC_ADDRESS, value: ignored }]
      resources: { requests: { ephemeral-storage: 1Gi, cpu: "9" }, limits: { ephemeral-storage: 2Gi } }
      volumeMounts: [{ name: logs, mountPath: /opt/flink/log }]
    - name: sidecar
      image: busybox
  volumes:
    - name: logs
      emptyDir: {}
    - name: usrlib
      emptyDir: {}
`;

describe("Flink's Kubernetes pod options", () => {
  it('parses map and tolerations options in Flink’s formats', () => {
    expect(parseFlinkMap('o', 'disk:ssd, kubernetes.io/hostname:node-1', 'labels')).toEqual({
      disk: 'ssd',
      'kubernetes.io/hostname': 'node-1',
    });
    // An annotation value may hold colons and anything a label may not.
    expect(parseFlinkMap('o', 'note:a b: c', 'annotations')).toEqual({ note: 'a b: c' });
    expect(
      parseTolerations(
        'o',
        'key:dedicated,operator:Equal,value:flink,effect:NoSchedule;operator:Exists,effect:NoExecute,tolerationSeconds:30',
      ),
    ).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
  });

  it('refuses bad values saying which option, what is wrong and the format', () => {
    expect(refusal(() => parseFlinkMap('kubernetes.jobmanager.node-selector', 'disk=ssd', 'labels'))).toBe(
      "option 'kubernetes.jobmanager.node-selector': 'disk=ssd': 'disk=ssd' is not key:value (entries are key:value,key:value)",
    );
    expect(
      refusal(() => parseFlinkMap('kubernetes.taskmanager.labels', 'team:data science', 'labels')),
    ).toMatch(/'data science' \(of team\) is not a label value/);
    expect(
      refusal(() => parseTolerations('kubernetes.taskmanager.tolerations', 'key:a,operator:Same')),
    ).toMatch(/operator 'Same' is not one of Equal, Exists/);
    expect(refusal(() => parseTolerations('t', 'key:a,effect:NoRun'))).toMatch(
      /effect 'NoRun' is not one of NoSchedule, PreferNoSchedule, NoExecute/,
    );
    expect(refusal(() => parseTolerations('t', 'key:a,colour:red'))).toMatch(
      /'colour' is not a toleration field/,
    );
    expect(refusal(() => parseTolerations('t', 'value:x'))).toMatch(
      /without a key must have operator Exists/,
    );
    expect(refusal(() => parseTolerations('t', 'key:a,effect:NoSchedule,tolerationSeconds:5'))).toMatch(
      /tolerationSeconds applies only to effect NoExecute/,
    );
  });

  it('reads the role’s template file (else the default) and refuses one that is not a Pod', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pod-template-'));
    try {
      const tm = path.join(dir, 'tm.yaml');
      const dflt = path.join(dir, 'default.yaml');
      fs.writeFileSync(tm, 'spec: { nodeSelector: { role: tm } }\n');
      fs.writeFileSync(dflt, 'spec: { nodeSelector: { role: any } }\n');
      const options = {
        'kubernetes.pod-template-file.default': dflt,
        'kubernetes.pod-template-file.taskmanager': tm,
      };
      const files = readPodTemplateFiles(options);
      expect(podCustomizationOf(options, 'jobmanager', files).template?.spec?.nodeSelector).toEqual({
        role: 'any',
      });
      expect(podCustomizationOf(options, 'taskmanager', files).template?.spec?.nodeSelector).toEqual({
        role: 'tm',
      });

      expect(
        refusal(() => readPodTemplateFiles({ 'kubernetes.pod-template-file.default': `${dir}/none.yaml` })),
      ).toMatch(
        new RegExp(
          `option 'kubernetes.pod-template-file.default': the pod template ${dir}/none.yaml: it cannot be read on Sluice's machine \\(ENOENT\\)`,
        ),
      );
      const one = (text: string) => () =>
        podCustomizationOf({ 'kubernetes.pod-template-file.jobmanager': 'f' }, 'jobmanager', { f: text });
      expect(refusal(one('kind: Deployment\n'))).toBe(
        "option 'kubernetes.pod-template-file.jobmanager': the pod template f: its kind is Deployment, not Pod",
      );
      expect(refusal(one('spec: [\n'))).toMatch(/it is not YAML/);
      expect(refusal(one('spec: { containers: [{ image: x }] }\n'))).toMatch(
        /spec.containers\[0\] has no name/,
      );
      expect(refusal(one('spec: { tolerations: { key: a } }\n'))).toMatch(
        /spec.tolerations is not a list of mappings/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('merges a template, the options and Sluice’s pod by Flink’s rules (Sluice’s win where both set)', () => {
    const c = podCustomizationOf(
      {
        'kubernetes.pod-template-file.default': 't.yaml',
        'kubernetes.taskmanager.node-selector': 'zone:b',
        'kubernetes.taskmanager.tolerations': 'key:spot,operator:Exists,effect:NoSchedule',
        'kubernetes.taskmanager.labels': 'cost-center:42',
        'kubernetes.taskmanager.annotations': 'owner:team data',
      },
      'taskmanager',
      { 't.yaml': TEMPLATE },
    );
    const pod = mergePodTemplate(c, {
      metadata: { labels: { 'app.kubernetes.io/managed-by': 'sluice' } },
      spec: {
        securityContext: { fsGroup: 9999 },
        containers: [
          {
            name: 'taskmanager',
            image: 'flink:1.20.3-java17',
            args: ['taskmanager'],
            env: [{ name: 'JOB_MANAGER_RPC_ADDRESS', value: '10.0.0.1' }],
            resources: { requests: { cpu: '0.25', memory: '1024Mi' }, limits: { memory: '1024Mi' } },
            volumeMounts: [{ name: 'usrlib', mountPath: '/opt/flink/usrlib' }],
          },
        ],
        volumes: [{ name: 'usrlib', hostPath: { path: '/srv/usrlib' } }],
      },
    });
    expect(pod.metadata!.labels).toEqual({
      team: 'data',
      'cost-center': '42',
      'app.kubernetes.io/managed-by': 'sluice',
    });
    expect(pod.metadata!.annotations).toEqual({ 'prometheus.io/scrape': 'true', owner: 'team data' });
    const spec = pod.spec!;
    expect(spec.nodeSelector).toEqual({ disk: 'ssd', zone: 'b' });
    expect(spec.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'flink', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(spec.affinity?.nodeAffinity).toBeDefined();
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 9999 });
    expect(spec.initContainers!.map((x) => x.name)).toEqual(['wait']);
    expect(spec.containers.map((x) => x.name)).toEqual(['taskmanager', 'sidecar']);
    const main = spec.containers[0]!;
    expect(main.image).toBe('flink:1.20.3-java17');
    expect(main.args).toEqual(['taskmanager']);
    expect(main.env).toEqual([
      { name: 'JOB_MANAGER_RPC_ADDRESS', value: '10.0.0.1' },
      { name: 'TZ', value: 'UTC' },
    ]);
    expect(main.resources).toEqual({
      requests: { 'ephemeral-storage': '1Gi', cpu: '0.25', memory: '1024Mi' },
      limits: { 'ephemeral-storage': '2Gi', memory: '1024Mi' },
    });
    expect(main.volumeMounts).toEqual([
      { name: 'usrlib', mountPath: '/opt/flink/usrlib' },
      { name: 'logs', mountPath: '/opt/flink/log' },
    ]);
    // Sluice's usrlib replaces the template's volume of that name; the template's others stay.
    expect(spec.volumes).toEqual([
      { name: 'usrlib', hostPath: { path: '/srv/usrlib' } },
      { name: 'logs', emptyDir: {} },
    ]);
  });

  it('keeps Sluice’s pod as it is when nothing is asked', () => {
    const ours = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'jobmanager' }] } };
    expect(mergePodTemplate(podCustomizationOf({}, 'jobmanager', {}), ours)).toEqual(ours);
  });

  it('leaves the options Sluice applies itself out of Flink’s configuration', () => {
    expect(
      withoutPodOptions({
        'kubernetes.taskmanager.node-selector': 'a:b',
        'kubernetes.pod-template-file.default': '/t.yaml',
        'sluice.ingress.template': 'x',
        'kubernetes.rest-service.exposed.type': 'NodePort',
        'parallelism.default': '2',
      }),
    ).toEqual({ 'kubernetes.rest-service.exposed.type': 'NodePort', 'parallelism.default': '2' });
  });
});

describe('log mapping to the node', () => {
  it('mounts <node dir>/<job> at /opt/flink/log, owned by Flink before it starts; refuses a relative folder', () => {
    expect(logMappingOf({}, 'orders', 'flink:1', 9999)).toBeNull();
    const m = logMappingOf(
      { 'sluice.kubernetes.log-host-path': '/var/log/flink/' },
      'orders',
      'flink:1',
      9999,
    )!;
    expect(m.volume).toEqual({
      name: 'flink-logs',
      hostPath: { path: '/var/log/flink/orders', type: 'DirectoryOrCreate' },
    });
    expect(m.mount).toEqual({ name: 'flink-logs', mountPath: '/opt/flink/log' });
    expect(m.init).toMatchObject({
      image: 'flink:1',
      command: ['sh', '-c', 'chown 9999:9999 /opt/flink/log'],
      securityContext: { runAsUser: 0 },
    });
    expect(refusal(() => logMappingOf({ 'sluice.kubernetes.log-host-path': 'logs' }, 'o', 'i', 1))).toMatch(
      /option 'sluice.kubernetes.log-host-path': 'logs': write an absolute folder on the nodes/,
    );
  });
});

describe('REST exposure', () => {
  const names = { name: 'flink-orders-01234567', namespace: 'jobs', job: 'orders' };
  it('reads the Service type, its annotations and an Ingress per job by host or by path', () => {
    expect(restExposureOf({}, names)).toEqual({ type: 'ClusterIP', annotations: {}, ingress: null });
    const byHost = restExposureOf(
      {
        'kubernetes.rest-service.exposed.type': 'LoadBalancer',
        'kubernetes.rest-service.annotations': 'service.beta.kubernetes.io/aws-load-balancer-internal:true',
        'sluice.ingress.template': '{{job}}.flink.example.com',
        'sluice.ingress.class-name': 'nginx',
      },
      names,
    );
    expect(byHost).toEqual({
      type: 'LoadBalancer',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' },
      ingress: { host: 'orders.flink.example.com', path: '/', className: 'nginx', annotations: {} },
    });
    const ing = restIngress(byHost.ingress!, { name: 'x-rest' }, 'x-rest', 8081);
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'orders.flink.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'x-rest', port: { number: 8081 } } },
              },
            ],
          },
        },
      ],
    });
    const byPath = restExposureOf(
      {
        'sluice.ingress.template': 'flink.example.com/{{namespace}}/{{name}}(/|$)(.*)',
        'sluice.ingress.annotations': 'nginx.ingress.kubernetes.io/rewrite-target:/$2',
      },
      names,
    ).ingress!;
    expect(byPath).toMatchObject({ host: 'flink.example.com', path: '/jobs/flink-orders-01234567(/|$)(.*)' });
    expect(restIngress(byPath, {}, 's', 8081).spec!.rules![0]!.http!.paths[0]!.pathType).toBe(
      'ImplementationSpecific',
    );
    expect(restIngress(byPath, {}, 's', 8081).metadata!.annotations).toEqual({
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
    });
  });

  it('refuses a type, a template or an Ingress setting it cannot use', () => {
    expect(refusal(() => restExposureOf({ 'kubernetes.rest-service.exposed.type': 'Public' }, names))).toBe(
      "option 'kubernetes.rest-service.exposed.type': 'Public': the type is one of ClusterIP, NodePort, LoadBalancer, Headless_ClusterIP",
    );
    expect(refusal(() => restExposureOf({ 'sluice.ingress.template': '{{id}}.example.com' }, names))).toMatch(
      /the placeholders are \{\{name\}\}, \{\{namespace\}\} and \{\{job\}\}/,
    );
    expect(refusal(() => restExposureOf({ 'sluice.ingress.template': 'Bad_Host/x' }, names))).toMatch(
      /'Bad_Host' is not a host name/,
    );
    expect(refusal(() => restExposureOf({ 'sluice.ingress.class-name': 'nginx' }, names))).toMatch(
      /it applies to an Ingress, which sluice.ingress.template asks for/,
    );
  });
});
