import type { ArtifactFunctions } from '../application/artifact-service.ts';
import type { Artifact, ArtifactVersion } from '../domain/artifacts/artifact.ts';
import type { Body } from '../contract/operation.ts';
import type { artifacts as A } from '../contract/artifacts.ts';
import type { Operation } from '../contract/engines.ts';
import type { Transport } from './http.ts';

const enc = encodeURIComponent;

/**
 * Artifacts. Their routes keep their schemas in src/http/routes/artifacts.ts (a jar body is not
 * JSON), so these calls go through the transport's fetch and refusal rather than contract operations.
 */
export function artifactsClient(t: Transport) {
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await t.fetch(`${t.baseUrl}/api/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw t.refusal(res.status, parsed);
    return parsed as T;
  };
  return {
    /** Each with the space it belongs to. */
    list: () => json<(Artifact & { space: string })[]>('GET', '/artifacts'),
    get: (name: string) => json<Artifact>('GET', `/artifacts/${enc(name)}`),
    /** The raw jar as the body (application/java-archive). */
    upload: async (
      bytes: Blob | Uint8Array,
      q: {
        fileName: string;
        name?: string | undefined;
        entryClass?: string | undefined;
        space?: string | undefined;
      },
    ) => {
      const query = new URLSearchParams({
        fileName: q.fileName,
        ...(q.name ? { name: q.name } : {}),
        ...(q.entryClass ? { entryClass: q.entryClass } : {}),
        ...(q.space ? { space: q.space } : {}),
      });
      const res = await t.fetch(`${t.baseUrl}/api/v1/artifacts?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/java-archive' },
        body: bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]),
      });
      const parsed = (await res.json().catch(() => undefined)) as unknown;
      if (!res.ok) throw t.refusal(res.status, parsed);
      return parsed as ArtifactVersion;
    },
    fromMaven: (coordinates: string, name?: string, space?: string) =>
      json<ArtifactVersion>('POST', '/artifacts/maven', {
        coordinates,
        ...(name ? { name } : {}),
        ...(space ? { space } : {}),
      }),
    /** A background operation (follow it with operations.follow); its result is the stored version. */
    build: (body: Body<typeof A.build>) => json<Operation>('POST', '/artifacts/builds', body),
    /** 409 while job versions use it, naming them. */
    delete: (name: string, version?: number) =>
      json<{ removedVersions: number[] }>(
        'DELETE',
        version === undefined ? `/artifacts/${enc(name)}` : `/artifacts/${enc(name)}/versions/${version}`,
      ),
    jarUrl: (name: string, version: number) =>
      `${t.baseUrl}/api/v1/artifacts/${enc(name)}/versions/${version}/jar`,
    download: async (name: string, version: number) => {
      const res = await t.fetch(`${t.baseUrl}/api/v1/artifacts/${enc(name)}/versions/${version}/jar`);
      if (!res.ok) throw t.refusal(res.status, await res.json().catch(() => undefined));
      return Buffer.from(await res.arrayBuffer());
    },
    functions: (name: string, version: number) =>
      json<ArtifactFunctions>('GET', `/artifacts/${enc(name)}/versions/${version}/functions`),
  };
}
