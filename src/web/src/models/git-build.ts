import type { artifacts } from '../../../contract/artifacts.ts';
import type { Body } from '../../../contract/operation.ts';
import { GIT_BUILD_STEPS, type GitBuildStep } from '../../../domain/artifacts/git-build.ts';

/** The "Build from git" form's fields, as typed. */
export interface GitBuildValues {
  url: string;
  ref?: string;
  module?: string;
  jar?: string;
  name?: string;
  space?: string;
}

/** What `POST /artifacts/builds` takes. */
export type GitBuildRequest = Body<typeof artifacts.build>;

/**
 * The build the form asks for: texts trimmed, empty ones left to the build's defaults, and the space
 * the artifact lands in (left out: the server's `default`).
 */
export function gitBuildBody(v: GitBuildValues): GitBuildRequest {
  const body: GitBuildRequest = { url: v.url.trim() };
  for (const k of ['ref', 'module', 'jar', 'name'] as const) {
    const value = v[k]?.trim();
    if (value) body[k] = value;
  }
  if (v.space) body.space = v.space;
  return body;
}

/** The step a build is at: the last `[step] ...` line of its log (Maven's own `[INFO]` lines are none). */
export function currentStep(lines: readonly { text: string }[]): GitBuildStep | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\[([a-z ]+)\] /.exec(lines[i]!.text);
    const step = m && GIT_BUILD_STEPS.find((s) => s === m[1]);
    if (step) return step;
  }
  return null;
}
