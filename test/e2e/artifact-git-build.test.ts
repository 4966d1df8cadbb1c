import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/contract/engines.ts';
import type { Artifact } from '../../src/domain/artifacts/artifact.ts';
import { runSluice, servedPlatform } from '../support/cli.ts';
import type { TestPlatform } from '../support/platform.ts';
import { counterRepo } from '../support/git-repo.ts';
import { STATEFUL_COUNTER_MAIN } from '../support/test-jars.ts';

/**
 * Jars built from a real git repository that the test makes (`git init`, commits, a tag, a broken
 * branch) and reads over a file:// URL: the CLI follows the build, the artifact names the commit, a
 * JAR job made from it runs on Flink; a compile error fails at "build" with javac's message in the
 * log, an unknown ref at "checkout", and nothing is stored by either.
 */
describe('artifacts built from a git repository', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;
  let close: () => Promise<void>;
  let repo: string;
  let head: string;
  let removeRepo: (() => void) | undefined;
  const module = 'jobs/stateful-counter';
  const sluice = async (...args: string[]) => {
    const r = await runSluice(url, args);
    if (r.code !== 0) throw new Error(`sluice ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  };
  const build = async (body: Record<string, string>): Promise<Operation> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/artifacts/builds', payload: body });
    expect(res.statusCode).toBe(202);
    return (await t.platform.operations.settled(res.json<Operation>().id)) as Operation;
  };
  const artifactNames = async () => (await t.platform.artifacts.list()).map((a) => a.name);

  beforeAll(async () => {
    ({ t, app, url, close } = await servedPlatform({ sharedCluster: true }));
    ({ dir: repo, head, remove: removeRepo } = counterRepo());
  }, 120_000);
  afterAll(async () => {
    await close?.();
    removeRepo?.();
  }, 120_000);

  it('builds the module at a tag, stores the jar with the commit, and runs it as a JAR job on Flink', async () => {
    const r = await sluice(
      ...['artifact', 'build', '--git', `file://${repo}`, '--ref', 'v1.0', '--module', module],
      ...['--name', 'counter-git'],
    );
    // The CLI showed the whole log as it came: git's, then Maven's.
    expect(r.stderr).toContain('[clone] cloning file://');
    expect(r.stderr).toContain('[checkout] v1.0 is commit ' + head);
    expect(r.stderr).toContain('[INFO] BUILD SUCCESS');
    expect(r.stderr).toContain(`[pick jar] ${module}/target/stateful-counter-1.0.jar`);
    expect(r.stdout).toMatch(
      new RegExp(
        `^artifact counter-git version 1 stored from git file://${repo}@v1.0 ${head.slice(0, 12)} /${module} \\(`,
      ),
    );
    const a = JSON.parse((await sluice('artifact', 'get', 'counter-git', '--json')).stdout) as Artifact;
    expect(a.versions[0]).toMatchObject({
      fileName: 'stateful-counter-1.0.jar',
      source: { kind: 'git', url: `file://${repo}`, ref: 'v1.0', commit: head, module },
      mainClass: null,
    });
    expect((await sluice('artifact', 'list')).stdout).toMatch(
      /counter-git .* git file:\/\/.*@v1\.0 [0-9a-f]{12}/,
    );

    await sluice(
      ...['job', 'create', '--name', 'counter-from-git', '--jar', 'counter-git'],
      ...['--entry-class', STATEFUL_COUNTER_MAIN, '--args', '--keys 2 --rate 20'],
      ...['--target', 'local-1.20', '--engine', '1.20'],
    );
    await sluice('job', 'start', 'counter-from-git');
    expect(await t.platform.jobs.get('counter-from-git')).toMatchObject({ state: 'RUNNING' });
    await sluice('job', 'cancel', 'counter-from-git');
  }, 300_000);

  it('builds the default branch when no ref is given, as a new version of the same name', async () => {
    const op = await build({ url: `file://${repo}`, module, name: 'counter-git' });
    expect(op.error).toBeNull();
    expect(op.result).toMatchObject({
      name: 'counter-git',
      version: 2,
      source: { kind: 'git', ref: 'main', commit: head, module },
    });
  }, 180_000);

  it('fails at "build" with javac\'s message for a commit that does not compile, storing nothing', async () => {
    const before = await t.platform.artifacts.get('counter-git');
    const op = await build({ url: `file://${repo}`, ref: 'broken', module, name: 'counter-git' });
    expect(op.status).toBe('failed');
    expect(op.error?.details).toMatchObject({ step: 'build' });
    expect(op.error?.message).toMatch(
      /failed at step "build": javac refused the sources:\n.*StatefulCounter\.java:\[\d+,\d+\] incompatible types: java\.lang\.String cannot be converted to int/,
    );
    // The whole log stays readable after the end: git's lines and Maven's, the compiler's among them.
    const lines = op.lines.map((l) => l.text);
    expect(lines).toContain('[build] mvn -B package -DskipTests');
    expect(
      lines.some((l) => /\[ERROR\] .*StatefulCounter\.java:\[\d+,\d+\] incompatible types/.test(l)),
    ).toBe(true);
    expect(await t.platform.artifacts.get('counter-git')).toEqual(before);

    const cli = await runSluice(url, [
      'artifact',
      'build',
      '--git',
      `file://${repo}`,
      '--ref',
      'broken',
      '--module',
      module,
    ]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/failed at step "build": javac refused the sources/);
  }, 180_000);

  it('fails at "checkout" for a ref the repository does not have, storing nothing', async () => {
    const op = await build({ url: `file://${repo}`, ref: 'no-such-branch', module });
    expect(op.status).toBe('failed');
    expect(op.error?.details).toMatchObject({ step: 'checkout' });
    expect(op.error?.message).toContain(
      `building a jar from file://${repo} failed at step "checkout": the repository has no branch, tag or commit 'no-such-branch'`,
    );
    expect(await artifactNames()).toEqual(['counter-git']);
  }, 60_000);

  it('never shows the credentials of a URL, in the log, the error or the operation', async () => {
    const secret = 'tok3n-not-for-logs';
    const op = await build({ url: `http://builder:${secret}@127.0.0.1:9/team/jobs.git` });
    expect(op.status).toBe('failed');
    expect(op.error?.details).toMatchObject({ step: 'clone' });
    expect(op.subject).toBe('http://***@127.0.0.1:9/team/jobs.git');
    expect(JSON.stringify(op)).not.toContain(secret);
    expect(op.error?.message).toContain('http://***@127.0.0.1:9/team/jobs.git');
    expect(fs.readFileSync(path.join(t.home, 'sluice.log'), 'utf8')).not.toContain(secret);
  }, 60_000);

  it('refuses a URL git would run a command for, before anything runs', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/artifacts/builds',
      payload: { url: 'ext::sh -c touch% /tmp/sluice-pwned' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(
      /^url: 'ext::sh -c touch% \/tmp\/sluice-pwned' is not a git repository URL/,
    );
  });
});
