import { SluiceError, invalid } from '../errors.ts';
import { message, type Message } from '../messages.ts';

/** What to build: a git repository, at a ref, a Maven project in it, and which jar of its target/. */
export interface GitBuildRequest {
  url: string;
  /** A branch, tag or commit; null: the repository's default branch. */
  ref: string | null;
  /** The folder of the Maven module whose jar is wanted, relative to the repository's root; null: the root. */
  module: string | null;
  /** A file-name pattern (`*`, `?`) picking the jar among those the build left in target/. */
  jar: string | null;
}

/** The steps of a build, in order: a failure names the one it stopped at. */
export const GIT_BUILD_STEPS = ['clone', 'checkout', 'build', 'pick jar', 'check jar'] as const;
export type GitBuildStep = (typeof GIT_BUILD_STEPS)[number];

/** How many of the log's last lines a failure carries (the whole log stays with the operation). */
export const FAILURE_TAIL_LINES = 30;

// `scheme://userinfo@`: the user part of a URL may hold a token (https://<token>@host/...), not only the password.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi;

/** Text with the credentials of every URL in it replaced by `***` (`https://***@host/repo.git`). */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/**
 * A masker for one URL's credentials wherever they turn up in a log: in URLs, and as the bare
 * user and password (decoded too), which git or Maven may print on their own.
 */
export function credentialMasker(url: string): (text: string) => string {
  const secrets = new Set<string>();
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/\s@]+)@/i.exec(url);
  if (m) {
    for (const part of m[1]!.split(':')) {
      for (const s of [part, safeDecode(part)]) if (s.length >= 4) secrets.add(s);
    }
  }
  const literal = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = maskUrlCredentials(text);
    for (const s of literal) out = out.split(s).join('***');
    return out;
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Transports git runs without a command of the user's (`ext::` runs one) or a local path git takes as an option.
const GIT_URL = /^(https?|ssh|git|file):\/\/[^\s]+$/i;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/;
const REF = /^[A-Za-z0-9._/+-]{1,250}$/;
const MODULE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const JAR_GLOB = /^[A-Za-z0-9._*?+-]{1,200}$/;

/** Checks a build request before anything runs: each refusal names the field and the form to use. */
export function checkGitBuildRequest(r: GitBuildRequest): GitBuildRequest {
  const url = r.url.trim();
  if (!GIT_URL.test(url) && !SCP_LIKE.test(url))
    throw invalid('url', message('artifact.gitBadUrl', { url: maskUrlCredentials(url) }));
  const ref = r.ref?.trim() || null;
  if (ref !== null && (!REF.test(ref) || ref.startsWith('-') || ref.includes('..')))
    throw invalid('ref', message('artifact.gitBadRef', { ref }));
  const module = r.module?.trim().replace(/^\.\/+|\/+$/g, '') || null;
  if (module !== null && (!MODULE.test(module) || module.split('/').some((p) => p === '.' || p === '..')))
    throw invalid('module', message('artifact.gitBadModule', { module }));
  const jar = r.jar?.trim() || null;
  if (jar !== null && !JAR_GLOB.test(jar)) throw invalid('jar', message('artifact.gitBadJarGlob', { jar }));
  return { url, ref, module, jar };
}

/** Jars Maven leaves beside the artifact that are not the program: sources, javadoc, tests, the shade plugin's original. */
const NOT_THE_PROGRAM = /(-sources|-javadoc|-tests|-test-sources)\.jar$|^original-/;

/** Whether a file in a target/ folder is a candidate for the built jar. */
export const isCandidateJar = (fileName: string): boolean =>
  fileName.endsWith('.jar') && !NOT_THE_PROGRAM.test(fileName);

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The one built jar: among `candidates` (paths relative to the repository, each in a target/ folder),
 * those whose file name matches `glob` when one is given. Anything but exactly one is a refusal that
 * lists the candidates, so the user can name one with --jar.
 */
export function pickBuiltJar(
  candidates: readonly string[],
  glob: string | null,
  where: string,
): { jar: string } | { refusal: Message } {
  const base = (p: string) => p.replace(/^.*\//, '');
  const all = candidates.filter((c) => isCandidateJar(base(c))).sort();
  const matching = glob === null ? all : all.filter((c) => globToRegExp(glob).test(base(c)));
  if (matching.length === 1) return { jar: matching[0]! };
  if (all.length === 0) return { refusal: message('artifact.gitNoJar', { where }) };
  if (matching.length === 0)
    return {
      refusal: message('artifact.gitNoJarMatches', { jar: glob ?? '', where, candidates: all.join(', ') }),
    };
  return { refusal: message('artifact.gitManyJars', { where, candidates: matching.join(', ') }) };
}

/**
 * A build that stopped at `step`: what went wrong, and the last lines of the log (masked), so the
 * cause is at hand without reading the whole log, which stays with the operation.
 */
export function buildFailure(
  step: GitBuildStep,
  url: string,
  cause: Message | string,
  log: readonly string[],
): SluiceError {
  const tail = log.slice(-FAILURE_TAIL_LINES).join('\n');
  return new SluiceError(
    'invalid_argument',
    message('artifact.gitBuildFailed', {
      url: maskUrlCredentials(url),
      step,
      cause,
      tail: tail || '-',
    }),
    { step, url: maskUrlCredentials(url) },
  );
}

/** javac's own lines in Maven's output (`[ERROR] /path/File.java:[line,col] message`), without the prefix. */
export function compilerErrors(log: readonly string[]): string[] {
  // Maven prints each twice (under COMPILATION ERROR and in its summary): said once.
  return [...new Set(log.filter((l) => /^\[ERROR\] \S.*\.java:\[\d+,\d+\]/.test(l)).map((l) => l.slice(8)))];
}
