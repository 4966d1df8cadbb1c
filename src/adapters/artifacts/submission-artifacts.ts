import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import type { SubmissionTokens } from '../../application/submission-tokens.ts';

const LISTING = '.listing';
const RUN_ID = /^[0-9a-f]{32}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,200}$/;

/** The name a run's i-th jar is served and fetched under: its place in the classpath, then its own name. */
export const artifactFileName = (jar: string, i: number): string =>
  `${String(i).padStart(2, '0')}-${path.basename(jar).replace(/[^A-Za-z0-9._+-]/g, '_')}`;

/**
 * The artifacts of the runs whose pods fetch them from the platform (the init container of a
 * Kubernetes target with a platform URL): one folder per run under `<home>/submission-artifacts/<flinkJobId>`,
 * kept while the run lives (a TaskManager made later fetches too) and deleted with its cluster. Each
 * file is listed with its SHA-256 and size, so the fetcher checks what it got. Served only to a token
 * scoped to that run.
 */
export class SubmissionArtifacts {
  readonly root: string;

  constructor(
    home: string,
    readonly tokens: SubmissionTokens,
  ) {
    this.root = path.join(home, 'submission-artifacts');
  }

  dirOf(flinkJobId: string): string {
    if (!RUN_ID.test(flinkJobId)) throw new Error(`not a Flink job id: ${flinkJobId}`);
    return path.join(this.root, flinkJobId);
  }

  /** Copies the run's jars (in classpath order: their names keep it) and writes their listing. */
  put(flinkJobId: string, jars: string[]): { name: string; size: number; sha256: string }[] {
    const dir = this.dirOf(flinkJobId);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const listed = jars.map((jar, i) => {
      const name = artifactFileName(jar, i);
      const bytes = fs.readFileSync(jar);
      fs.writeFileSync(path.join(dir, name), bytes);
      return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    fs.writeFileSync(
      path.join(dir, LISTING),
      listed.map((f) => `${f.sha256} ${f.size} ${f.name}\n`).join(''),
    );
    return listed;
  }

  has(flinkJobId: string): boolean {
    return RUN_ID.test(flinkJobId) && fs.existsSync(path.join(this.dirOf(flinkJobId), LISTING));
  }

  remove(flinkJobId: string): void {
    if (RUN_ID.test(flinkJobId)) fs.rmSync(this.dirOf(flinkJobId), { recursive: true, force: true });
  }

  /** Refuses (403) a token that is not this run's or has expired; 404 for a run with no artifacts here. */
  private authorize(flinkJobId: string, authorization: string | undefined): string {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1] ?? '';
    const refused = RUN_ID.test(flinkJobId)
      ? this.tokens.check(token, flinkJobId)
      : ('another submission' as const);
    if (refused)
      throw new SluiceError(
        'forbidden',
        message('artifacts.tokenRefused', { flinkJobId, reason: token ? refused : 'no Bearer token' }),
      );
    const dir = this.dirOf(flinkJobId);
    if (!fs.existsSync(path.join(dir, LISTING)))
      throw new SluiceError('not_found', message('artifacts.noSubmissionArtifacts', { flinkJobId }));
    return dir;
  }

  /** The listing the fetcher reads: `sha256 size name` per line. */
  listing(flinkJobId: string, authorization: string | undefined): string {
    return fs.readFileSync(path.join(this.authorize(flinkJobId, authorization), LISTING), 'utf8');
  }

  /** One listed file's path. */
  file(flinkJobId: string, name: string, authorization: string | undefined): string {
    const dir = this.authorize(flinkJobId, authorization);
    const listed = fs
      .readFileSync(path.join(dir, LISTING), 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[2] === name);
    if (!FILE_NAME.test(name) || !listed)
      throw new SluiceError('not_found', message('artifacts.noSubmissionArtifacts', { flinkJobId }), {
        file: name,
      });
    return path.join(dir, name);
  }
}
