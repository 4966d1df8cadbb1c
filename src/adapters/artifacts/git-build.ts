import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildFailure,
  compilerErrors,
  credentialMasker,
  pickBuiltJar,
  type GitBuildRequest,
  type GitBuildStep,
} from '../../domain/artifacts/git-build.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { runProcess, withMavenOpts } from '../system/child-process.ts';
import { findGit, findMaven } from '../system/prerequisites.ts';
import { mavenErrors, mavenSettingsArgs } from './maven-resolver.ts';
import type { BuiltGitJar, GitBuildTimeouts, MavenSettings } from '../../application/ports/artifacts.ts';

export const DEFAULT_GIT_BUILD_TIMEOUTS: GitBuildTimeouts = { gitMs: 10 * 60_000, mavenMs: 30 * 60_000 };

/**
 * Clones a repository (shallow where the ref allows), checks out the ref, runs `mvn -B package
 * -DskipTests` with Sluice's Maven settings and reads the one jar it built. Every line of git's and
 * Maven's output goes to `say`, credentials masked; a failure names its step with the log's tail.
 * Works in a temporary folder removed at the end, whatever happens.
 */
export async function buildJarFromGit(
  req: GitBuildRequest,
  settings: MavenSettings,
  say: (line: string) => void,
  opts: { env?: NodeJS.ProcessEnv; timeouts?: GitBuildTimeouts; signal?: AbortSignal } = {},
): Promise<BuiltGitJar> {
  const env = opts.env ?? process.env;
  const timeouts = opts.timeouts ?? DEFAULT_GIT_BUILD_TIMEOUTS;
  const signal = opts.signal;
  const mask = credentialMasker(req.url);
  const log: string[] = [];
  const out = (line: string) => {
    const masked = mask(line);
    log.push(masked);
    say(masked);
  };
  let step: GitBuildStep = 'clone';
  const fail = (cause: Parameters<typeof buildFailure>[2]) => buildFailure(step, req.url, cause, log);
  const begin = (s: GitBuildStep, what: string) => {
    step = s;
    out(`[${s}] ${what}`);
  };

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-git-build-'));
  const repo = path.join(work, 'repo');
  // Never wait for a password on a terminal nobody sees: a repository that needs one fails at once.
  const gitEnv: NodeJS.ProcessEnv = {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    LC_ALL: 'C',
  };
  const run = async (cmd: string, args: string[], cwd: string, timeoutMs: number, shown = args) => {
    out(`$ ${path.basename(cmd)} ${shown.join(' ')}`);
    const r = await runProcess(cmd, args, {
      cwd,
      env: cmd.endsWith('mvn') ? withMavenOpts(env, '512m') : gitEnv,
      timeoutMs,
      onLine: out,
      signal,
    });
    if (r.stopped)
      throw fail(message('artifact.gitStopped', { command: `${path.basename(cmd)} ${shown[0]}` }));
    if (r.timedOut)
      throw fail(
        message('artifact.gitTimedOut', {
          command: `${path.basename(cmd)} ${shown[0]}`,
          minutes: Math.round(timeoutMs / 60_000),
        }),
      );
    return r;
  };
  try {
    const git = findGit(env);
    const gitRun = (args: string[], cwd = repo) => run(git, args, cwd, timeouts.gitMs);
    const quiet = async (args: string[]) => {
      const r = await runProcess(git, args, { cwd: repo, env: gitEnv, timeoutMs: timeouts.gitMs, signal });
      return r.code === 0 ? r.lines.join('\n').trim() : null;
    };

    begin('clone', `cloning ${mask(req.url)}`);
    const cloned = await run(
      git,
      ['clone', '--depth', '1', '--no-checkout', '--', req.url, repo],
      work,
      timeouts.gitMs,
      ['clone', '--depth', '1', '--no-checkout', '--', mask(req.url), 'repo'],
    );
    if (cloned.code !== 0) throw fail(message('artifact.gitCloneFailed', { detail: gitError(cloned.lines) }));

    let ref: string;
    let target: string;
    if (req.ref) {
      begin('checkout', `fetching ${req.ref}`);
      ref = req.ref;
      const fetched = await gitRun(['fetch', '--depth', '1', 'origin', req.ref]);
      if (fetched.code === 0) target = 'FETCH_HEAD';
      else {
        // A short sha, or a server that sends no commit it does not advertise: take the whole history.
        out(`[checkout] ${req.ref} cannot be fetched alone; fetching the whole history`);
        await gitRun(['fetch', '--unshallow', '--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
        const sha =
          (await quiet(['rev-parse', '--verify', '--quiet', `${req.ref}^{commit}`])) ??
          (await quiet(['rev-parse', '--verify', '--quiet', `origin/${req.ref}^{commit}`]));
        if (!sha)
          throw fail(message('artifact.gitRefNotFound', { ref: req.ref, detail: gitError(fetched.lines) }));
        target = sha;
      }
    } else {
      begin('checkout', 'checking out the default branch');
      ref = (await quiet(['symbolic-ref', '--short', 'HEAD'])) ?? 'HEAD';
      target = 'HEAD';
    }
    const checkedOut = await gitRun([
      '-c',
      'advice.detachedHead=false',
      'checkout',
      '--force',
      '--detach',
      target,
    ]);
    if (checkedOut.code !== 0)
      throw fail(message('artifact.gitRefNotFound', { ref, detail: gitError(checkedOut.lines) }));
    const commit = await quiet(['rev-parse', 'HEAD']);
    if (!commit) throw fail(message('artifact.gitRefNotFound', { ref, detail: 'no commit' }));
    out(`[checkout] ${ref} is commit ${commit}`);
    if (fs.existsSync(path.join(repo, '.gitmodules'))) {
      const subs = await gitRun(['submodule', 'update', '--init', '--recursive', '--depth', '1']);
      if (subs.code !== 0) throw fail(message('artifact.gitCloneFailed', { detail: gitError(subs.lines) }));
    }

    begin('build', 'mvn -B package -DskipTests');
    const moduleDir = req.module ? path.join(repo, req.module) : repo;
    if (!fs.existsSync(path.join(moduleDir, 'pom.xml')))
      throw fail(message('artifact.gitNoPom', { dir: req.module ? `${req.module}/` : '/' }));
    // A module of the root's reactor is built from the root with what it needs (-pl -am); a project
    // that merely sits in a folder is built where it is.
    const inReactor =
      req.module !== null &&
      fs.existsSync(path.join(repo, 'pom.xml')) &&
      fs.readFileSync(path.join(repo, 'pom.xml'), 'utf8').includes(`<module>${req.module}</module>`);
    const mvnArgs = [
      '-B',
      '-ntp',
      'package',
      '-DskipTests',
      ...(inReactor ? ['-pl', req.module!, '-am'] : []),
      ...mavenSettingsArgs(settings, work),
    ];
    const built = await run(findMaven(env), mvnArgs, inReactor ? repo : moduleDir, timeouts.mavenMs);
    if (built.code !== 0) {
      const errors = compilerErrors(built.lines);
      throw fail(
        errors.length
          ? message('maven.compileFailed', { errors: errors.join('\n') })
          : message('artifact.gitMavenFailed', { detail: mavenErrors(built.lines) }),
      );
    }

    begin('pick jar', req.jar ? `picking the jar matching ${req.jar}` : 'picking the built jar');
    const root = req.module ?? '';
    const picked = pickBuiltJar(
      targetJars(repo, root),
      req.jar,
      req.module ? `${req.module}/**/target/` : '**/target/',
    );
    if ('refusal' in picked) throw fail(picked.refusal);
    out(`[pick jar] ${picked.jar}`);
    const bytes = fs.readFileSync(path.join(repo, picked.jar));
    return { bytes, fileName: path.basename(picked.jar), jarPath: picked.jar, commit, ref, log };
  } catch (e) {
    // A missing git or Maven is said as itself (what to install), not as a failed step.
    if (e instanceof SluiceError) throw e;
    throw fail((e as Error).message);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The jars directly in any target/ folder under `rel` (relative paths), skipping .git and what Maven built inside target/. */
function targetJars(repo: string, rel: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const e of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === '.git' || e.name === 'node_modules') continue;
      const sub = dir ? `${dir}/${e.name}` : e.name;
      if (e.name === 'target')
        for (const f of fs.readdirSync(path.join(repo, sub), { withFileTypes: true }))
          if (f.isFile() && f.name.endsWith('.jar')) found.push(`${sub}/${f.name}`);
      if (e.name !== 'target') walk(sub, depth + 1);
    }
  };
  walk(rel, 0);
  return found;
}

/** git's own error lines (`fatal: ...`, `error: ...`), else its last line. */
function gitError(lines: string[]): string {
  const errors = lines.filter((l) => /^(fatal|error):/.test(l));
  return (errors.length ? errors : lines.filter((l) => l.trim()).slice(-1)).join('; ') || 'no output';
}
