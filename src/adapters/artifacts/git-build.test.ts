import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../domain/errors.ts';
import { buildJarFromGit } from './git-build.ts';

const noMaven = { repository: undefined, settingsFile: undefined, localRepository: undefined };
const failure = async (p: Promise<unknown>): Promise<SluiceError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SluiceError);
  return e as SluiceError;
};

/** The steps before Maven, with real git on repositories made here (the Maven steps: test/e2e/artifact-git-build.test.ts). */
describe('building from git, before Maven', () => {
  let dir: string;
  let repo: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-git-unit-'));
    repo = path.join(dir, 'repo');
    fs.mkdirSync(path.join(repo, 'app'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'README'), 'no pom here\n');
    fs.writeFileSync(path.join(repo, 'app', 'pom.xml'), '<project/>\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@x', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'one');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fails at clone for a repository that is not there, with git's words and the log", async () => {
    const lines: string[] = [];
    const e = await failure(
      buildJarFromGit({ url: `file://${dir}/nope`, ref: null, module: null, jar: null }, noMaven, (l) =>
        lines.push(l),
      ),
    );
    expect(e.details).toMatchObject({ step: 'clone' });
    expect(e.message).toMatch(/failed at step "clone": git could not clone the repository: fatal: .*nope/);
    expect(lines[0]).toBe(`[clone] cloning file://${dir}/nope`);
  });

  it('fails at build, naming the folder, when the project has no pom.xml there', async () => {
    const e = await failure(
      buildJarFromGit({ url: `file://${repo}`, ref: 'main', module: null, jar: null }, noMaven, () => {}),
    );
    expect(e.details).toMatchObject({ step: 'build' });
    expect(e.message).toContain('failed at step "build": there is no pom.xml in / of the repository');
    expect(e.message).toMatch(/\[checkout\] main is commit [0-9a-f]{40}/);
  });

  it('stops its processes when the platform stops, failing at the step it was at', async () => {
    const stop = new AbortController();
    stop.abort();
    const e = await failure(
      buildJarFromGit({ url: `file://${repo}`, ref: null, module: 'app', jar: null }, noMaven, () => {}, {
        signal: stop.signal,
      }),
    );
    expect(e.details).toMatchObject({ step: 'clone' });
    expect(e.message).toContain('failed at step "clone": git clone was stopped: the server is stopping');
  });
});
