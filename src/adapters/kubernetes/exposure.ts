import type { V1Ingress, V1ServiceSpec } from '@kubernetes/client-node';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { parseFlinkMap } from './pod-template.ts';

/**
 * How a job's JobManager REST endpoint (and Flink's Web UI) is exposed beyond Sluice's own proxy, in
 * Flink's option names where Flink has them:
 * - `kubernetes.rest-service.exposed.type`: ClusterIP (Flink's default), NodePort, LoadBalancer or
 *   Headless_ClusterIP, the type of the `<cluster>-rest` Service;
 * - `kubernetes.rest-service.annotations`: `key:value,...` on that Service (a cloud's load balancer
 *   settings);
 * - an Ingress to it, as the operator's `spec.ingress` makes one (Flink has no option for it):
 *   `sluice.ingress.template` (`{{name}}.flink.example.com` for a host per job, or
 *   `flink.example.com/{{namespace}}/{{name}}` for a path per job; `{{name}}` is the cluster's name,
 *   `{{job}}` the job's), `sluice.ingress.class-name`, `sluice.ingress.annotations`.
 * Usually set once on the target (its Flink configuration), under each job's own options.
 */
export type RestServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless_ClusterIP';
const TYPES: RestServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'Headless_ClusterIP'];

export interface RestExposure {
  type: RestServiceType;
  annotations: Record<string, string>;
  ingress: {
    host: string | null;
    path: string;
    className: string | null;
    annotations: Record<string, string>;
  } | null;
}

const bad = (option: string, value: string, problem: string) =>
  new SluiceError('invalid_argument', message('kubernetes.badExposure', { option, value, problem }), {
    field: `options.${option}`,
  });

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A wildcard host as Ingress allows it: `*.` then a subdomain. */
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The exposure the options ask for; `names` fills the template's placeholders. */
export function restExposureOf(
  options: Record<string, string>,
  names: { name: string; namespace: string; job: string },
): RestExposure {
  const typeKey = 'kubernetes.rest-service.exposed.type';
  const type = (options[typeKey] || 'ClusterIP') as RestServiceType;
  if (!TYPES.includes(type)) throw bad(typeKey, type, `the type is one of ${TYPES.join(', ')}`);
  const annotations = options['kubernetes.rest-service.annotations']
    ? parseFlinkMap(
        'kubernetes.rest-service.annotations',
        options['kubernetes.rest-service.annotations'],
        'annotations',
      )
    : {};
  const template = options['sluice.ingress.template'];
  const classKey = 'sluice.ingress.class-name';
  const className = options[classKey] || null;
  if (className !== null && !DNS_SUBDOMAIN.test(className))
    throw bad(classKey, className, 'an IngressClass name is a DNS subdomain (a-z, 0-9, -, .)');
  const ingressAnnotations = options['sluice.ingress.annotations']
    ? parseFlinkMap('sluice.ingress.annotations', options['sluice.ingress.annotations'], 'annotations')
    : {};
  if (!template) {
    for (const k of [classKey, 'sluice.ingress.annotations'])
      if (options[k])
        throw bad(
          k,
          options[k],
          'it applies to an Ingress, which sluice.ingress.template asks for: set that too',
        );
    return { type, annotations, ingress: null };
  }
  if (/\{\{(?!name\}\}|namespace\}\}|job\}\})[^}]*\}\}/.test(template))
    throw bad(
      'sluice.ingress.template',
      template,
      'the placeholders are {{name}}, {{namespace}} and {{job}}',
    );
  const filled = template
    .replaceAll('{{name}}', names.name)
    .replaceAll('{{namespace}}', names.namespace)
    .replaceAll('{{job}}', names.job)
    .replace(/^https?:\/\//, '');
  const at = filled.indexOf('/');
  const host = (at < 0 ? filled : filled.slice(0, at)) || null;
  const path = at < 0 ? '/' : filled.slice(at);
  if (host !== null && !HOST.test(host))
    throw bad(
      'sluice.ingress.template',
      template,
      `'${host}' is not a host name (a-z, 0-9, -, ., an optional leading *.)`,
    );
  if (/\s/.test(path)) throw bad('sluice.ingress.template', template, 'the path has a space');
  return { type, annotations, ingress: { host, path, className, annotations: ingressAnnotations } };
}

/** The `<cluster>-rest` Service's spec: the JobManager pods' REST port, of the asked type. */
export function restServiceSpec(
  type: RestServiceType,
  selector: Record<string, string>,
  port: number,
): V1ServiceSpec {
  return {
    type: type === 'Headless_ClusterIP' ? 'ClusterIP' : type,
    ...(type === 'Headless_ClusterIP' ? { clusterIP: 'None' } : {}),
    selector,
    ports: [{ name: 'rest', port, targetPort: 'rest', protocol: 'TCP' }],
  };
}

/**
 * The Ingress to a REST Service: one rule, the host or path of the template. A path with regular
 * expression characters (as the operator's templates for nginx, `(/|$)(.*)`) is ImplementationSpecific;
 * a plain one is a Prefix.
 */
export function restIngress(
  e: NonNullable<RestExposure['ingress']>,
  meta: V1Ingress['metadata'],
  service: string,
  port: number,
): V1Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      ...meta,
      ...(Object.keys(e.annotations).length
        ? { annotations: { ...(meta?.annotations ?? {}), ...e.annotations } }
        : {}),
    },
    spec: {
      ...(e.className ? { ingressClassName: e.className } : {}),
      rules: [
        {
          ...(e.host ? { host: e.host } : {}),
          http: {
            paths: [
              {
                path: e.path,
                pathType: /[()|$*+?[\]\\]/.test(e.path) ? 'ImplementationSpecific' : 'Prefix',
                backend: { service: { name: service, port: { number: port } } },
              },
            ],
          },
        },
      ],
    },
  };
}
