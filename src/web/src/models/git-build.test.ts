import { describe, expect, it } from 'vitest';
import { currentStep, gitBuildBody } from './git-build.ts';

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

describe('the build the form asks for', () => {
  it('trims the texts, leaves out the empty ones and names the space the artifact lands in', () => {
    expect(
      gitBuildBody({
        url: ' https://example.com/team/jobs.git ',
        ref: ' main ',
        module: '',
        jar: '   ',
        name: 'counter',
        space: 'team-a',
      }),
    ).toEqual({ url: 'https://example.com/team/jobs.git', ref: 'main', name: 'counter', space: 'team-a' });
    // No space chosen (the user may create nowhere yet): the server's default applies.
    expect(gitBuildBody({ url: 'https://example.com/x.git' })).toEqual({ url: 'https://example.com/x.git' });
  });
});
