import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { plainHttpUrl, urlShown } from '../requests/plain-url.ts';

/** An S3-compatible bucket that keeps artifact bytes (SLUICE_ARTIFACT_S3_*). */
export interface S3StorageSettings {
  /** `scheme://host[:port]` (a path is kept), without credentials. */
  endpoint: string;
  bucket: string;
  /** Prepended to every key: '' or ending with '/'. */
  prefix: string;
  region: string;
  /**
   * `<endpoint>/<bucket>/<key>` requests: what S3-compatible stores (MinIO, Ceph, S3Proxy) answer
   * without DNS per bucket; AWS's own endpoints take the bucket in the host name.
   */
  pathStyle: boolean;
  /** null: the AWS SDK's own chain (AWS_* variables, ~/.aws, an instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

export type ArtifactStorageSettings = { kind: 'local' } | ({ kind: 's3' } & S3StorageSettings);

export const S3_VARIABLES = {
  endpoint: 'SLUICE_ARTIFACT_S3_ENDPOINT',
  bucket: 'SLUICE_ARTIFACT_S3_BUCKET',
  prefix: 'SLUICE_ARTIFACT_S3_PREFIX',
  region: 'SLUICE_ARTIFACT_S3_REGION',
  accessKeyId: 'SLUICE_ARTIFACT_S3_ACCESS_KEY_ID',
  secretAccessKey: 'SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY',
} as const;

/** The region S3-compatible stores are asked in when none is given (most ignore it; AWS's default). */
export const DEFAULT_S3_REGION = 'us-east-1';

const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?$/;

/**
 * Where artifacts are kept, from the SLUICE_ARTIFACT_S3_* variables: none set keeps them under the
 * Sluice home; any set asks for S3, and then half a configuration is refused naming the variable
 * missing, so that a typo never silently stores artifacts on local disk.
 */
export function parseArtifactStorage(env: Record<string, string | undefined>): ArtifactStorageSettings {
  const v = (name: string) => env[name]?.trim() || undefined;
  const given = Object.values(S3_VARIABLES).filter((name) => v(name) !== undefined);
  if (!given.length) return { kind: 'local' };
  const incomplete = (missing: string) =>
    new SluiceError('invalid_argument', message('config.s3Incomplete', { missing, given: given[0]! }), {
      setting: missing,
    });
  const endpoint = v(S3_VARIABLES.endpoint);
  if (!endpoint) throw incomplete(S3_VARIABLES.endpoint);
  const bucket = v(S3_VARIABLES.bucket);
  if (!bucket) throw incomplete(S3_VARIABLES.bucket);
  const url = parseEndpoint(endpoint);
  const accessKeyId = v(S3_VARIABLES.accessKeyId);
  const secretAccessKey = v(S3_VARIABLES.secretAccessKey);
  if (!accessKeyId !== !secretAccessKey) {
    const [missing, present] = accessKeyId
      ? [S3_VARIABLES.secretAccessKey, S3_VARIABLES.accessKeyId]
      : [S3_VARIABLES.accessKeyId, S3_VARIABLES.secretAccessKey];
    throw new SluiceError(
      'invalid_argument',
      message('config.s3CredentialsHalf', { missing, given: present }),
      {
        setting: missing,
      },
    );
  }
  const prefix = (v(S3_VARIABLES.prefix) ?? '').replace(/^\/+/, '');
  return {
    kind: 's3',
    endpoint: url.href.replace(/\/$/, ''),
    bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: v(S3_VARIABLES.region) ?? DEFAULT_S3_REGION,
    pathStyle: !AWS_HOST.test(url.hostname),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
  };
}

function parseEndpoint(endpoint: string): URL {
  const url = plainHttpUrl(endpoint);
  if (!url)
    throw new SluiceError(
      'invalid_argument',
      message('config.s3BadEndpoint', { endpoint: urlShown(endpoint) }),
      {
        setting: S3_VARIABLES.endpoint,
      },
    );
  return url;
}
