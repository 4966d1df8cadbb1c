import { describe, expect, it } from 'vitest';
import { renderMessage } from '../messages.ts';
import { sourceText } from './artifact.ts';
import {
  buildFailure,
  checkGitBuildRequest,
  compilerErrors,
  credentialMasker,
  maskUrlCredentials,
  pickBuiltJar,
} from './git-build.ts';

const req = (over: Partial<Parameters<typeof checkGitBuildRequest>[0]> = {}) => ({
  url: 'https://example.com/team/jobs.git',
  ref: null,
  module: null,
  jar: null,
  ...over,
});

describe('credentials in git URLs', () => {
  it('masks the user part of every URL in a text, token or user:password', () => {
    expect(maskUrlCredentials('https://ghp_abc123@github.com/a/b.git')).toBe(
      'https://***@github.com/a/b.git',
    );
    expect(maskUrlCredentials("fatal: unable to access 'https://bob:s3cr%40t@host/x.git/': 403")).toBe(
      "fatal: unable to access 'https://***@host/x.git/': 403",
    );
    expect(maskUrlCredentials('https://host/x.git and git@github.com:a/b.git')).toBe(
      'https://host/x.git and git@github.com:a/b.git',
    );
  });
  it("masks one URL's user and password also where they appear bare, decoded or not", () => {
    const mask = credentialMasker('https://bob:s3cr%40t@host/x.git');
    expect(mask('password s3cr@t for bob was refused, s3cr%40t too')).toBe(
      'password *** for bob was refused, *** too',
    );
    expect(mask('Cloning https://bob:s3cr%40t@host/x.git')).toBe('Cloning https://***@host/x.git');
    // Too short to be told apart from ordinary text: left alone in prose, still masked in URLs.
    expect(credentialMasker('https://ab@host/x')('a lab table')).toBe('a lab table');
  });
});

describe('a build request', () => {
  it('takes repository URLs of the transports git runs by itself, and refuses the rest', () => {
    for (const url of [
      'https://github.com/a/b.git',
      'ssh://git@host:22/a/b',
      'git://host/a',
      'file:///srv/repos/jobs',
      'git@github.com:a/b.git',
    ])
      expect(checkGitBuildRequest(req({ url })).url).toBe(url);
    for (const url of [
      'ext::sh -c touch% /tmp/pwned',
      '--upload-pack=touch /tmp/x',
      '/srv/repos/jobs',
      'ftp://h/x',
    ])
      expect(() => checkGitBuildRequest(req({ url }))).toThrow(/^url: '.*' is not a git repository URL/);
    expect(() => checkGitBuildRequest(req({ url: 'ftp://u:pw@h/x' }))).toThrow("'ftp://***@h/x'");
  });
  it('refuses refs git would read as options or ranges, modules outside the repository, odd patterns', () => {
    expect(checkGitBuildRequest(req({ ref: ' release/1.2 ', module: './jobs/counter/' }))).toMatchObject({
      ref: 'release/1.2',
      module: 'jobs/counter',
    });
    expect(() => checkGitBuildRequest(req({ ref: '--upload-pack=x' }))).toThrow(/^ref: /);
    expect(() => checkGitBuildRequest(req({ ref: 'main..dev' }))).toThrow(/not a branch, tag or commit/);
    expect(() => checkGitBuildRequest(req({ module: '../etc' }))).toThrow(/^module: .*without '\.\.'/);
    expect(() => checkGitBuildRequest(req({ module: '/abs' }))).toThrow(/^module: /);
    expect(() => checkGitBuildRequest(req({ jar: 'a/b.jar' }))).toThrow(/^jar: .*pattern/);
    expect(checkGitBuildRequest(req({ ref: '', module: '', jar: '' }))).toMatchObject({
      ref: null,
      module: null,
      jar: null,
    });
  });
});

describe('picking the built jar', () => {
  const built = [
    'target/app-1.0.jar',
    'target/app-1.0-sources.jar',
    'target/original-app-1.0.jar',
    'target/app-1.0-tests.jar',
  ];
  it('takes the one program jar, leaving sources, tests and the shade plugin original aside', () => {
    expect(pickBuiltJar(built, null, 'target/')).toEqual({ jar: 'target/app-1.0.jar' });
  });
  it('refuses two candidates, listing them, until a pattern picks one', () => {
    const two = [...built, 'target/app-1.0-shaded.jar'];
    const many = pickBuiltJar(two, null, 'target/');
    expect('refusal' in many && renderMessage(many.refusal)).toBe(
      'the build left more than one jar in target/: target/app-1.0-shaded.jar, target/app-1.0.jar; name the one to keep with --jar <pattern>',
    );
    expect(pickBuiltJar(two, '*-shaded.jar', 'target/')).toEqual({ jar: 'target/app-1.0-shaded.jar' });
    const none = pickBuiltJar(two, 'other-?.jar', 'target/');
    expect('refusal' in none && renderMessage(none.refusal)).toBe(
      'no jar in target/ matches other-?.jar; the candidates are target/app-1.0-shaded.jar, target/app-1.0.jar',
    );
    const empty = pickBuiltJar(['target/app-sources.jar'], null, 'web/**/target/');
    expect('refusal' in empty && renderMessage(empty.refusal)).toMatch(
      /^the build left no jar in web\/\*\*\/target\//,
    );
  });
  it('reads a pattern as a file name, not as a regular expression', () => {
    expect(pickBuiltJar(['target/a+b.jar', 'target/aab.jar'], 'a+b.jar', 'target/')).toEqual({
      jar: 'target/a+b.jar',
    });
  });
});

describe('a failed build', () => {
  it("names the step and carries the log's last lines, credentials masked", () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const e = buildFailure('build', 'https://tok@host/x.git', 'mvn package failed: boom', log);
    expect(e.details).toEqual({ step: 'build', url: 'https://***@host/x.git' });
    expect(e.message).toMatch(
      /^building a jar from https:\/\/\*\*\*@host\/x\.git failed at step "build": mvn package failed: boom; nothing was stored\. The last lines of its log:\nline 10\n/,
    );
    expect(e.message).not.toContain('line 9\n');
    expect(e.message.endsWith('line 39')).toBe(true);
  });
  it("finds javac's messages in Maven's output", () => {
    expect(
      compilerErrors([
        '[INFO] Compiling 1 source file',
        '[ERROR] /tmp/b/repo/src/main/java/A.java:[3,5] cannot find symbol',
        '[ERROR] -> [Help 1]',
        '[ERROR] /tmp/b/repo/src/main/java/A.java:[3,5] cannot find symbol',
      ]),
    ).toEqual(['/tmp/b/repo/src/main/java/A.java:[3,5] cannot find symbol']);
  });
});

describe('the source of a version', () => {
  it('says where each kind of version came from in one line', () => {
    expect(sourceText({ kind: 'upload' })).toBe('upload');
    expect(sourceText({ kind: 'maven', coordinates: 'a:b:1', repository: null })).toBe('maven a:b:1');
    expect(
      sourceText({
        kind: 'git',
        url: 'https://***@host/x.git',
        ref: 'main',
        commit: '4169d4fd90ef244b53bbcf9794062a87fa971385',
        module: 'jobs/counter',
      }),
    ).toBe('git https://***@host/x.git@main 4169d4fd90ef /jobs/counter');
  });
});
