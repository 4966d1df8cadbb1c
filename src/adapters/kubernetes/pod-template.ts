import fs from 'node:fs';
import {
  loadYaml,
  type V1Container,
  type V1ObjectMeta,
  type V1PodSpec,
  type V1PodTemplateSpec,
  type V1Toleration,
  type V1Volume,
  type V1VolumeMount,
} from '@kubernetes/client-node';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/**
 * What a job's pods carry beyond what Sluice needs to run Flink, named by Flink's own options (the
 * same vocabulary as Flink's native Kubernetes mode, so a job moves between the ways unchanged):
 *
 * - `kubernetes.<role>.node-selector`   `key:value,key:value`
 * - `kubernetes.<role>.tolerations`     `key:k,operator:Equal,value:v,effect:NoSchedule;key:...`
 * - `kubernetes.<role>.labels`          `key:value,...` (pod labels)
 * - `kubernetes.<role>.annotations`     `key:value,...` (pod annotations)
 * - `kubernetes.pod-template-file.<role>`, else `kubernetes.pod-template-file.default`, else the
 *   older `kubernetes.pod-template-file`: a Pod YAML file on Sluice's machine. Affinity, sidecars,
 *   init containers, extra volumes, a security context... come only from a template, as in Flink.
 *
 * `<role>` is jobmanager or taskmanager. The target's defaults (its Flink configuration) are under
 * the job's options: a job's value replaces the target's for the same key.
 *
 * Merge rules (Flink's for `kubernetes.pod-template-file`): the template is the base; what Sluice
 * sets wins where both set it. Labels, annotations, node selector: merged by key (Sluice's and the
 * options' win). Tolerations, image pull secrets: both lists. Volumes, init containers, sidecar
 * containers: merged by name (Sluice's win). The template's container named `flink-main-container` is
 * merged into Sluice's Flink container: image, command and arguments, ports and the CPU and memory
 * of its resources are Sluice's; its env, volume mounts (both by name, Sluice's win), other resources
 * (e.g. ephemeral-storage), probes and security context stay.
 */
export type FlinkRole = 'jobmanager' | 'taskmanager';

/** The name Flink gives its container in a pod template: the one merged into Sluice's. */
export const MAIN_CONTAINER = 'flink-main-container';

/** The options a pod reads; they are Sluice's to apply, not Flink's (standalone Flink ignores them). */
export const podOptionKeys = (role: FlinkRole): string[] => [
  `kubernetes.${role}.node-selector`,
  `kubernetes.${role}.tolerations`,
  `kubernetes.${role}.labels`,
  `kubernetes.${role}.annotations`,
  `kubernetes.pod-template-file.${role}`,
];
export const TEMPLATE_KEYS = [
  'kubernetes.pod-template-file.jobmanager',
  'kubernetes.pod-template-file.taskmanager',
  'kubernetes.pod-template-file.default',
  'kubernetes.pod-template-file',
] as const;

/** What one role's pods carry from the options, before Sluice's own pod is merged over it. */
export interface PodCustomization {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeSelector: Record<string, string>;
  tolerations: V1Toleration[];
  /** The user's pod template (its metadata and spec), or null. */
  template: V1PodTemplateSpec | null;
  /** The file the template came from, for the logs. */
  templateFile: string | null;
}

const bad = (option: string, value: string, problem: string): SluiceError =>
  new SluiceError('invalid_argument', message('kubernetes.badPodOption', { option, value, problem }), {
    field: `options.${option}`,
  });

/** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters. */
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Flink's map option format, `k1:v1,k2:v2` (the value is after the first colon, keys and values
 * trimmed). Labels and node selectors must be valid label keys and values; annotation values are free.
 */
export function parseFlinkMap(
  option: string,
  value: string,
  kind: 'labels' | 'annotations',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of value.split(',')) {
    if (!entry.trim()) continue;
    const at = entry.indexOf(':');
    if (at < 0)
      throw bad(option, value, `'${entry.trim()}' is not key:value (entries are key:value,key:value)`);
    const k = entry.slice(0, at).trim();
    const v = entry.slice(at + 1).trim();
    if (!QUALIFIED_NAME.test(k) || k.length > 317)
      throw bad(
        option,
        value,
        `'${k}' is not a Kubernetes label or annotation key ([prefix/]name, name ≤ 63 characters of a-z, 0-9, -, _, .)`,
      );
    if (kind === 'labels' && !LABEL_VALUE.test(v))
      throw bad(
        option,
        value,
        `'${v}' (of ${k}) is not a label value (≤ 63 characters of a-z, A-Z, 0-9, -, _, ., beginning and ending alphanumeric)`,
      );
    out[k] = v;
  }
  return out;
}

const OPERATORS = ['Equal', 'Exists'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Flink's tolerations format: `key:k,operator:Equal,value:v,effect:NoSchedule[,tolerationSeconds:n];...`. */
export function parseTolerations(option: string, value: string): V1Toleration[] {
  const out: V1Toleration[] = [];
  for (const one of value.split(';')) {
    if (!one.trim()) continue;
    const t: V1Toleration = {};
    for (const entry of one.split(',')) {
      if (!entry.trim()) continue;
      const at = entry.indexOf(':');
      if (at < 0) throw bad(option, value, `'${entry.trim()}' is not field:value`);
      const field = entry.slice(0, at).trim();
      const v = entry.slice(at + 1).trim();
      switch (field.toLowerCase()) {
        case 'key':
          t.key = v;
          break;
        case 'operator':
          if (!OPERATORS.includes(v))
            throw bad(option, value, `operator '${v}' is not one of ${OPERATORS.join(', ')}`);
          t.operator = v;
          break;
        case 'value':
          t.value = v;
          break;
        case 'effect':
          if (!EFFECTS.includes(v))
            throw bad(option, value, `effect '${v}' is not one of ${EFFECTS.join(', ')}`);
          t.effect = v;
          break;
        case 'tolerationseconds': {
          const n = Number(v);
          if (!Number.isInteger(n))
            throw bad(option, value, `tolerationSeconds '${v}' is not a whole number`);
          t.tolerationSeconds = n;
          break;
        }
        default:
          throw bad(
            option,
            value,
            `'${field}' is not a toleration field (key, operator, value, effect, tolerationSeconds)`,
          );
      }
    }
    if (t.operator === 'Exists' && t.value)
      throw bad(option, value, `a toleration with operator Exists takes no value (${one.trim()})`);
    if (!t.key && t.operator !== 'Exists')
      throw bad(option, value, `a toleration without a key must have operator Exists (${one.trim()})`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      throw bad(option, value, `tolerationSeconds applies only to effect NoExecute (${one.trim()})`);
    out.push(t);
  }
  return out;
}

/** The template file a role's pods use: its own, else the default, as Flink falls back. */
export function templateFileOf(options: Record<string, string>, role: FlinkRole): string | null {
  return (
    options[`kubernetes.pod-template-file.${role}`] ||
    options['kubernetes.pod-template-file.default'] ||
    options['kubernetes.pod-template-file'] ||
    null
  );
}

/** The option that named a role's template file, for the errors. */
const templateOptionOf = (options: Record<string, string>, role: FlinkRole): string =>
  options[`kubernetes.pod-template-file.${role}`]
    ? `kubernetes.pod-template-file.${role}`
    : options['kubernetes.pod-template-file.default']
      ? 'kubernetes.pod-template-file.default'
      : 'kubernetes.pod-template-file';

/** Reads the template files the options name (on Sluice's machine): path → text. */
export function readPodTemplateFiles(options: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const role of ['jobmanager', 'taskmanager'] as const) {
    const file = templateFileOf(options, role);
    if (!file || file in files) continue;
    const option = templateOptionOf(options, role);
    try {
      files[file] = fs.readFileSync(file.replace(/^file:\/\//, ''), 'utf8');
    } catch (e) {
      throw new SluiceError(
        'invalid_argument',
        message('kubernetes.badPodTemplate', {
          option,
          file,
          problem: `it cannot be read on Sluice's machine (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the file is read where Sluice runs, as Flink's client reads it`,
        }),
        { field: `options.${option}` },
      );
    }
  }
  return files;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Pod YAML as Flink takes it (apiVersion v1, kind Pod; metadata and spec), checked for the shapes merged here. */
export function parsePodTemplate(option: string, file: string, text: string): V1PodTemplateSpec {
  const fail = (problem: string) =>
    new SluiceError('invalid_argument', message('kubernetes.badPodTemplate', { option, file, problem }), {
      field: `options.${option}`,
    });
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e) {
    throw fail(`it is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObject(doc)) throw fail('it is not a Pod (a YAML mapping with metadata and spec)');
  if (doc.kind !== undefined && doc.kind !== 'Pod') throw fail(`its kind is ${String(doc.kind)}, not Pod`);
  if (doc.apiVersion !== undefined && doc.apiVersion !== 'v1')
    throw fail(`its apiVersion is ${String(doc.apiVersion)}, not v1`);
  const meta = doc.metadata ?? {};
  const spec = doc.spec ?? {};
  if (!isObject(meta)) throw fail('metadata is not a mapping');
  if (!isObject(spec)) throw fail('spec is not a mapping');
  for (const k of ['labels', 'annotations'])
    if (
      meta[k] !== undefined &&
      (!isObject(meta[k]) || Object.values(meta[k]).some((v) => typeof v !== 'string'))
    )
      throw fail(`metadata.${k} is not a mapping of strings`);
  for (const k of ['containers', 'initContainers', 'volumes', 'tolerations', 'imagePullSecrets']) {
    const list = spec[k];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((x) => !isObject(x)))
      throw fail(`spec.${k} is not a list of mappings`);
    if (['containers', 'initContainers', 'volumes'].includes(k))
      for (const [i, x] of (list as Record<string, unknown>[]).entries())
        if (typeof x.name !== 'string' || !x.name) throw fail(`spec.${k}[${i}] has no name`);
  }
  if (spec.nodeSelector !== undefined && !isObject(spec.nodeSelector))
    throw fail('spec.nodeSelector is not a mapping');
  if (spec.affinity !== undefined && !isObject(spec.affinity)) throw fail('spec.affinity is not a mapping');
  return { metadata: meta as V1ObjectMeta, spec: spec as unknown as V1PodSpec };
}

/**
 * One role's customization from the options (the target's defaults under the job's), validated; the
 * template files' texts are given (readPodTemplateFiles), so that rendering stays pure.
 */
export function podCustomizationOf(
  options: Record<string, string>,
  role: FlinkRole,
  templates: Record<string, string>,
): PodCustomization {
  const o = (k: string) => options[`kubernetes.${role}.${k}`];
  const file = templateFileOf(options, role);
  let template: V1PodTemplateSpec | null = null;
  if (file) {
    const text = templates[file];
    if (text === undefined) throw new Error(`the pod template ${file} was not read before rendering`);
    template = parsePodTemplate(templateOptionOf(options, role), file, text);
  }
  return {
    nodeSelector: o('node-selector')
      ? parseFlinkMap(`kubernetes.${role}.node-selector`, o('node-selector')!, 'labels')
      : {},
    tolerations: o('tolerations')
      ? parseTolerations(`kubernetes.${role}.tolerations`, o('tolerations')!)
      : [],
    labels: o('labels') ? parseFlinkMap(`kubernetes.${role}.labels`, o('labels')!, 'labels') : {},
    annotations: o('annotations')
      ? parseFlinkMap(`kubernetes.${role}.annotations`, o('annotations')!, 'annotations')
      : {},
    template,
    templateFile: file,
  };
}

/** Both lists, the second's entries replacing the first's of the same name (order: first's, then new ones). */
function byName<T extends { name?: string }>(base: T[] | undefined, over: T[] | undefined): T[] | undefined {
  if (!base?.length) return over;
  if (!over?.length) return base;
  const names = new Set(over.map((x) => x.name));
  const kept = base.filter((x) => !names.has(x.name));
  return [...over, ...kept];
}

const merged = <T extends object>(a: T | undefined, b: T | undefined): T | undefined =>
  a || b ? ({ ...(a ?? {}), ...(b ?? {}) } as T) : undefined;

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Sluice's Flink container over the template's `flink-main-container` (see the merge rules above). */
export function mergeContainer(base: V1Container | undefined, ours: V1Container): V1Container {
  if (!base) return ours;
  const resources =
    base.resources || ours.resources
      ? withoutUndefined({
          ...(base.resources ?? {}),
          ...(ours.resources ?? {}),
          requests: merged(base.resources?.requests, ours.resources?.requests),
          limits: merged(base.resources?.limits, ours.resources?.limits),
        })
      : undefined;
  return withoutUndefined({
    ...base,
    ...ours,
    env: byName(base.env, ours.env),
    volumeMounts: byName(base.volumeMounts, ours.volumeMounts),
    ports: ours.ports?.length ? ours.ports : base.ports,
    resources,
  });
}

/**
 * A role's pod: the user's template, then the options' labels, annotations, node selector and
 * tolerations, then Sluice's own pod (`ours`, whose first container is the Flink container), each over
 * the one before by Flink's merge rules. The template's `flink-main-container` becomes Sluice's Flink
 * container (which keeps Sluice's name); its other containers stay as sidecars.
 */
export function mergePodTemplate(c: PodCustomization, ours: V1PodTemplateSpec): V1PodTemplateSpec {
  const t = c.template ?? {};
  const tSpec: Partial<V1PodSpec> = t.spec ?? {};
  const oSpec: Partial<V1PodSpec> = ours.spec ?? {};
  const [flink, ...ourOthers] = oSpec.containers ?? [];
  const tMain = (tSpec.containers ?? []).find((x) => x.name === MAIN_CONTAINER);
  const sidecars = (tSpec.containers ?? []).filter((x) => x.name !== MAIN_CONTAINER);
  const containers = flink
    ? [
        mergeContainer(tMain ? { ...tMain, name: flink.name } : undefined, flink),
        ...(byName(sidecars, ourOthers) ?? []),
      ]
    : (tSpec.containers ?? []);
  const labels = { ...(t.metadata?.labels ?? {}), ...c.labels, ...(ours.metadata?.labels ?? {}) };
  const annotations = {
    ...(t.metadata?.annotations ?? {}),
    ...c.annotations,
    ...(ours.metadata?.annotations ?? {}),
  };
  const nodeSelector = { ...(tSpec.nodeSelector ?? {}), ...c.nodeSelector, ...(oSpec.nodeSelector ?? {}) };
  const tolerations = [...(tSpec.tolerations ?? []), ...c.tolerations, ...(oSpec.tolerations ?? [])];
  const pullSecrets = [...(tSpec.imagePullSecrets ?? []), ...(oSpec.imagePullSecrets ?? [])].filter(
    (s, i, all) => all.findIndex((x) => x.name === s.name) === i,
  );
  const spec = withoutUndefined({
    ...tSpec,
    ...oSpec,
    containers,
    initContainers: byName(tSpec.initContainers, oSpec.initContainers),
    volumes: byName(tSpec.volumes, oSpec.volumes),
    securityContext: merged(tSpec.securityContext, oSpec.securityContext),
    nodeSelector: Object.keys(nodeSelector).length ? nodeSelector : undefined,
    tolerations: tolerations.length ? tolerations : undefined,
    imagePullSecrets: pullSecrets.length ? pullSecrets : undefined,
  }) as V1PodSpec;
  const metadata = withoutUndefined({
    ...(t.metadata ?? {}),
    ...(ours.metadata ?? {}),
    labels: Object.keys(labels).length ? labels : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  });
  return { metadata, spec };
}

/** The options without those Sluice applies to the pods itself: Flink's configuration keeps the rest. */
export function withoutPodOptions(options: Record<string, string>): Record<string, string> {
  const ours = new Set<string>([
    ...TEMPLATE_KEYS,
    ...podOptionKeys('jobmanager'),
    ...podOptionKeys('taskmanager'),
  ]);
  return Object.fromEntries(
    Object.entries(options).filter(([k]) => !ours.has(k) && !k.startsWith('sluice.')),
  );
}

/**
 * Jidu's log mapping, on request (`sluice.kubernetes.log-host-path: <node dir>`): the pods' Flink log
 * folder, /opt/flink/log, is the node's `<node dir>/<job>` (hostPath), so that the log files stay on
 * the node after the pods are gone. The pods also keep logging to their console (the pod log).
 */
export const LOG_HOST_PATH = 'sluice.kubernetes.log-host-path';
export const FLINK_LOG_DIR = '/opt/flink/log';

export interface LogMapping {
  volume: V1Volume;
  mount: V1VolumeMount;
  /** hostPath folders are made root's: Flink (uid 9999) is given its own before it starts. */
  init: V1Container;
}

export function logMappingOf(
  options: Record<string, string>,
  jobName: string,
  image: string,
  flinkUid: number,
): LogMapping | null {
  const dir = options[LOG_HOST_PATH];
  if (!dir) return null;
  if (!dir.startsWith('/') || dir.includes('\0') || /(^|\/)\.\.(\/|$)/.test(dir))
    throw bad(
      LOG_HOST_PATH,
      dir,
      'write an absolute folder on the nodes (no ..); each job logs to <folder>/<job>',
    );
  const hostDir = `${dir.replace(/\/+$/, '')}/${jobName}`;
  return {
    volume: { name: 'flink-logs', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
    mount: { name: 'flink-logs', mountPath: FLINK_LOG_DIR },
    init: {
      name: 'flink-logs-owner',
      image,
      command: ['sh', '-c', `chown ${flinkUid}:${flinkUid} ${FLINK_LOG_DIR}`],
      securityContext: { runAsUser: 0 },
      volumeMounts: [{ name: 'flink-logs', mountPath: FLINK_LOG_DIR }],
    },
  };
}

/** Flink's own console-and-file log settings (its log4j-console.properties): the file is `log.file`, in the log folder. */
export const LOG4J_FILE_APPENDER = `rootLogger.appenderRef.rolling.ref = RollingFileAppender
appender.rolling.name = RollingFileAppender
appender.rolling.type = RollingFile
appender.rolling.append = true
appender.rolling.fileName = \${sys:log.file}
appender.rolling.filePattern = \${sys:log.file}.%i
appender.rolling.layout.type = PatternLayout
appender.rolling.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.rolling.policies.type = Policies
appender.rolling.policies.size.type = SizeBasedTriggeringPolicy
appender.rolling.policies.size.size = 100MB
appender.rolling.policies.startup.type = OnStartupTriggeringPolicy
appender.rolling.strategy.type = DefaultRolloverStrategy
appender.rolling.strategy.max = \${env:MAX_LOG_FILE_NUMBER:-10}
`;
