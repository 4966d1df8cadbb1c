import { useQuery } from '@tanstack/react-query';
import type { ArtifactFunctions } from '../../../application/artifact-service.ts';
import type { Artifact, ArtifactVersion } from '../../../domain/artifacts/artifact.ts';
import type { artifacts as A } from '../../../contract/artifacts.ts';
import type { Body } from '../../../contract/operation.ts';
import { api } from './http.ts';

export type { Artifact, ArtifactFunctions, ArtifactVersion };
/** What a build from git is asked with (url, and optionally ref, module, jar pattern, name). */
export type GitBuildBody = Body<typeof A.build>;

/** Artifacts, through the one client (src/client/artifacts.ts). */
export const artifactsApi = {
  list: () => api.artifacts.list(),
  upload: (file: File, name?: string, space?: string) =>
    api.artifacts.upload(file, { fileName: file.name, name, space }),
  /** A background operation; its lines are the build's whole log. */
  build: (body: GitBuildBody) => api.artifacts.build(body),
  /** 409 while job versions use it, naming them. */
  delete: (name: string, version?: number) => api.artifacts.delete(name, version),
  functions: (name: string, version: number) => api.artifacts.functions(name, version),
  downloadUrl: (name: string, version: number) => api.artifacts.jarUrl(name, version),
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
