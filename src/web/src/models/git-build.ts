import { GIT_BUILD_STEPS, type GitBuildStep } from '../../../domain/artifacts/git-build.ts';

/** The step a build is at: the last `[step] ...` line of its log (Maven's own `[INFO]` lines are none). */
export function currentStep(lines: readonly { text: string }[]): GitBuildStep | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\[([a-z ]+)\] /.exec(lines[i]!.text);
    const step = m && GIT_BUILD_STEPS.find((s) => s === m[1]);
    if (step) return step;
  }
  return null;
}
