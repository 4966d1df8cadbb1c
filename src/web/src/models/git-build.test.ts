import { describe, expect, it } from 'vitest';
import { currentStep } from './git-build.ts';

const log = (...texts: string[]) => texts.map((text) => ({ text }));

describe('the step of a build', () => {
  it("is the last step line of the log, whatever Maven's lines say", () => {
    expect(currentStep(log())).toBeNull();
    expect(currentStep(log('[clone] cloning https://***@host/x.git', 'Cloning into repo...'))).toBe('clone');
    expect(
      currentStep(log('[checkout] main is commit abc', '[build] mvn -B package', '[INFO] BUILD FAILURE')),
    ).toBe('build');
    expect(currentStep(log('[pick jar] target/a.jar', '[check jar] checking target/a.jar'))).toBe(
      'check jar',
    );
    expect(currentStep(log('[ERROR] x', '[WARNING] y'))).toBeNull();
  });
});
