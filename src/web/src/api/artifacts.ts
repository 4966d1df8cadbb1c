import { useQuery } from '@tanstack/react-query';
import type { ArtifactFunctions } from '../../../application/artifact-service.ts';
import type { Artifact, ArtifactVersion } from '../../../domain/artifacts/artifact.ts';
import type { Message } from '../../../domain/messages.ts';
import i18n from '../i18n/index.ts';
import { errorText } from '../models/message-text.ts';
import { ApiError, enc, request } from './http.ts';

export type { Artifact, ArtifactFunctions, ArtifactVersion };

/** Sends a jar as the raw body (the API takes application/java-archive), with the console's errors. */
async function sendJar(path: string, file: Blob): Promise<ArtifactVersion> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/java-archive' },
      body: file,
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', i18n.t('common.unreachable', { detail: (e as Error).message }));
  }
  const json = (await res.json().catch(() => undefined)) as
    | {
        error?: {
          code: string;
          message: string;
          details: Record<string, unknown>;
          messageCode?: Message['code'];
          messageParams?: Message['params'];
        };
      }
    | undefined;
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(
      res.status,
      err?.code ?? 'http_error',
      (err && errorText(i18n.t, err)) ?? `HTTP ${res.status}`,
      err?.details,
    );
  }
  return json as ArtifactVersion;
}

/** Artifacts: the only code of the console that knows their URLs. */
export const artifactsApi = {
  list: () => request<Artifact[]>('GET', '/artifacts'),
  upload: (file: File, name?: string) =>
    sendJar(`/artifacts?${new URLSearchParams({ fileName: file.name, ...(name ? { name } : {}) })}`, file),
  /** 409 while job versions use it, naming them. */
  delete: (name: string, version?: number) =>
    request<{ removedVersions: number[] }>(
      'DELETE',
      version === undefined ? `/artifacts/${enc(name)}` : `/artifacts/${enc(name)}/versions/${version}`,
    ),
  functions: (name: string, version: number) =>
    request<ArtifactFunctions>('GET', `/artifacts/${enc(name)}/versions/${version}/functions`),
  downloadUrl: (name: string, version: number) => `/api/v1/artifacts/${enc(name)}/versions/${version}/jar`,
};

export const artifactKeys = {
  all: ['artifacts'] as const,
  functions: (name: string, version: number) => ['artifacts', name, version, 'functions'] as const,
};

export const useArtifacts = () => useQuery({ queryKey: artifactKeys.all, queryFn: artifactsApi.list });
// A version's bytes never change, so neither do its functions.
export const useArtifactFunctions = (name: string, version: number) =>
  useQuery({
    queryKey: artifactKeys.functions(name, version),
    queryFn: () => artifactsApi.functions(name, version),
    staleTime: Infinity,
    retry: false,
  });
