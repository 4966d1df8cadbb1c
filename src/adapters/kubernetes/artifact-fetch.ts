import type { V1Container, V1ObjectMeta, V1Secret, V1Volume } from '@kubernetes/client-node';
import type { KubernetesTargetSpec } from '../../domain/targets/kubernetes-target.ts';

/**
 * Jars without a shared folder, for every way Sluice makes pods (standalone, operator, native): the
 * pods' usrlib is an emptyDir that an init container `fetch-artifacts` fills before Flink starts, in
 * every pod (a TaskManager made later fetches too). It runs the Flink image's own JRE (the image has
 * no curl or wget) on Sluice's fetcher class (standalone/fetcher/SluiceFetch.java), which reads the
 * run's listing from the platform's artifact endpoint with the token of the run's `-artifacts` Secret
 * (scoped to the run, short-lived, renewed by Sluice while the run lives), or (a target taking its
 * jars from S3) the listing of presigned URLs in that Secret. Pure.
 */
export type ArtifactFetch =
  | {
      /** The compiled fetcher (fetcher-build.ts). */
      fetcherClass: Buffer;
      /** The run's token (SubmissionTokens), or a placeholder in a rendered preview. */
      token: string;
    }
  | {
      fetcherClass: Buffer;
      /** The run's jars as `sha256 size name presigned-URL` lines (s3-run-artifacts.ts). */
      listing: string;
      /** The objects those URLs are signed for, which a renewal signs again. */
      objects: string;
    };

export const FETCH_CONTAINER = 'fetch-artifacts';
export const FETCHER_CLASS_FILE = 'SluiceFetch.class';
export const TOKEN_KEY = 'token';
/** The keys of a run from S3: its listing of presigned URLs, and the objects they are signed for. */
export const LISTING_KEY = 'listing';
export const OBJECTS_KEY = 'objects';
/** Where the init container finds the fetcher and the token. */
const FETCHER_DIR = '/opt/sluice/fetcher';
const TOKEN_DIR = '/opt/sluice/token';
/** The run's jars in every pod: Flink's user classpath folder. */
export const USRLIB = '/opt/flink/usrlib';

/** The artifacts of a run, as the platform serves them (src/http/routes/submission-artifacts.ts). */
export const artifactsPath = (flinkJobId: string): string => `/api/v1/submission-artifacts/${flinkJobId}`;

/** The name of the run's token Secret, beside its cluster's other objects. */
export const artifactsSecretName = (clusterName: string): string => `${clusterName}-artifacts`;

/** The init container that fills the emptyDir `usrlib` from the platform or S3 before Flink starts. */
export function fetchInitContainer(
  target: KubernetesTargetSpec,
  flinkJobId: string,
  fetch: ArtifactFetch,
): V1Container {
  return {
    name: FETCH_CONTAINER,
    image: target.image,
    imagePullPolicy: target.imagePullPolicy,
    command: [
      'java',
      '-Xmx48m',
      '-cp',
      FETCHER_DIR,
      FETCHER_CLASS_FILE.replace(/\.class$/, ''),
      ...('listing' in fetch
        ? ['--listing', `${TOKEN_DIR}/${LISTING_KEY}`]
        : [`${target.platformUrl}${artifactsPath(flinkJobId)}`, `${TOKEN_DIR}/${TOKEN_KEY}`]),
      USRLIB,
    ],
    resources: { requests: { cpu: '0.1', memory: '128Mi' }, limits: { memory: '128Mi' } },
    volumeMounts: [
      { name: 'fetcher', mountPath: FETCHER_DIR, readOnly: true },
      { name: 'artifacts-token', mountPath: TOKEN_DIR, readOnly: true },
      { name: 'usrlib', mountPath: USRLIB },
    ],
  };
}

/** The pods' usrlib when the jars are fetched: filled by the init container, read by Flink. */
export const usrlibVolume = (): V1Volume => ({ name: 'usrlib', emptyDir: {} });

/**
 * The fetcher's and the token's volumes. The fetcher class is in the standalone cluster's root
 * ConfigMap, or (operator and native ways, which have no root of Sluice's) in the token Secret itself.
 */
export function fetchVolumes(
  fetcher: { configMap: string } | { secret: string },
  tokenSecret: string,
): V1Volume[] {
  const items = [{ key: FETCHER_CLASS_FILE, path: FETCHER_CLASS_FILE }];
  return [
    'configMap' in fetcher
      ? { name: 'fetcher', configMap: { name: fetcher.configMap, items } }
      : { name: 'fetcher', secret: { secretName: fetcher.secret, items, defaultMode: 0o440 } },
    { name: 'artifacts-token', secret: { secretName: tokenSecret, defaultMode: 0o400 } },
  ];
}

/** The fetcher class as a ConfigMap's or Secret's binary data. */
export const fetcherData = (fetch: ArtifactFetch): Record<string, string> => ({
  [FETCHER_CLASS_FILE]: fetch.fetcherClass.toString('base64'),
});

/**
 * The run's `-artifacts` Secret: its token or its listing of presigned URLs (renewed in place while
 * the run lives, see KubernetesStandaloneTarget.renewTokensNow) and, when no ConfigMap of Sluice's carries it, the fetcher.
 */
export function artifactsSecret(
  metadata: V1ObjectMeta,
  fetch: ArtifactFetch,
  withFetcher: boolean,
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata,
    type: 'Opaque',
    stringData:
      'listing' in fetch
        ? { [LISTING_KEY]: fetch.listing, [OBJECTS_KEY]: fetch.objects }
        : { [TOKEN_KEY]: fetch.token },
    ...(withFetcher ? { data: fetcherData(fetch) } : {}),
  };
}
