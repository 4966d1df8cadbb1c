import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coordinatesText, type MavenCoordinates } from '../../domain/artifacts/artifact.ts';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { runProcess, withMavenOpts } from '../system/child-process.ts';
import { findMaven } from '../system/prerequisites.ts';

import type { MavenSettings } from '../../application/ports/artifacts.ts';

export type { MavenSettings };

export const MAVEN_CENTRAL = 'https://repo.maven.apache.org/maven2';

/**
 * Resolves one jar by its coordinates with `mvn dependency:copy` (the plugin version pinned, as the
 * engine provisioner pins it) and returns its bytes and file name. Only the jar itself: its
 * dependencies are not the user's to receive unasked.
 */
export async function resolveMavenJar(
  coords: MavenCoordinates,
  settings: MavenSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ bytes: Buffer; fileName: string }> {
  const mvn = findMaven(env);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-artifact-'));
  try {
    const out = path.join(work, 'out');
    const artifact = [
      coords.groupId,
      coords.artifactId,
      coords.version,
      'jar',
      ...(coords.classifier ? [coords.classifier] : []),
    ].join(':');
    const args = [
      '-B',
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
      `-Dartifact=${artifact}`,
      `-DoutputDirectory=${out}`,
    ];
    args.push(...mavenSettingsArgs(settings, work));
    const log = await runProcess(mvn, args, { cwd: work, env: withMavenOpts(env, '256m') });
    const files = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.jar')) : [];
    if (log.code !== 0 || files.length !== 1)
      throw new SluiceError(
        'invalid_argument',
        message('artifact.mavenFailed', {
          coordinates: coordinatesText(coords),
          repository: settings.repository ?? MAVEN_CENTRAL,
          detail: mavenErrors(log.lines),
        }),
        { field: 'coordinates' },
      );
    return { bytes: fs.readFileSync(path.join(out, files[0]!)), fileName: files[0]! };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Maven's arguments for Sluice's repository settings: the local repository, the repository or mirror
 * (written as a settings file into `work`) and the user's settings.xml. Shared by everything that runs
 * Maven for artifacts, so that a coordinate and a git build resolve from the same place.
 */
export function mavenSettingsArgs(settings: MavenSettings, work: string): string[] {
  const args: string[] = [];
  if (settings.localRepository) args.push(`-Dmaven.repo.local=${settings.localRepository}`);
  // The user's settings stand as the global ones, so the mirror given to Sluice still applies.
  if (settings.repository) {
    fs.writeFileSync(
      path.join(work, 'settings.xml'),
      `<settings><mirrors><mirror><id>sluice-mirror</id><mirrorOf>*</mirrorOf><url>${escapeXml(settings.repository)}</url></mirror></mirrors></settings>\n`,
    );
    args.push('-s', path.join(work, 'settings.xml'));
    if (settings.settingsFile) args.push('-gs', settings.settingsFile);
  } else if (settings.settingsFile) args.push('-s', settings.settingsFile);
  return args;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Maven's own [ERROR] lines, without its generic advice and help links. */
export function mavenErrors(lines: string[]): string {
  const errors = lines
    .filter((l) => l.startsWith('[ERROR]'))
    .map((l) => l.replace(/^\[ERROR\]\s*/, '').trim())
    .filter((l) => l && !/^(->|To see the full|Re-run Maven|For more information|\[Help)/.test(l));
  const first = errors[0] ?? lines.slice(-3).join(' ');
  return first.replace(/^Failed to execute goal [^:]+:[^:]+:[^:]+:\w+ \([^)]*\) on project [^:]+: /, '');
}
