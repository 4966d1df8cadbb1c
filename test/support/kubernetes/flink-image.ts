import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_ENGINE_VERSION,
  distributionRecipe,
} from '../../../src/domain/engines/flink-distribution.ts';

/**
 * Images that behave as the official `flink:<version>-java17` ones (apache/flink-docker), built by
 * flink-image.sh without Docker or a registry and imported into the local cluster's containerd under
 * the name Docker Hub gives them, so that a pod asking for `officialFlinkImage(v)` runs without a pull.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

type Log = (message: string) => void;

/** `1.20` or `2.x` -> the engine's exact release (`1.20.3`); an exact version stays as it is. */
export function flinkImageVersion(version: string): string {
  if (/^\d+\.\d+\.\d+$/.test(version)) return version;
  const recipe = distributionRecipe(version);
  if (!recipe)
    throw new Error(
      `Flink image: '${version}' is neither an exact Flink version (such as 1.20.3) nor an engine Sluice provisions (such as 1.20)`,
    );
  return recipe.flinkVersion;
}

/**
 * The Flink versions whose images `clusterUp` imports: SLUICE_K8S_FLINK_VERSIONS (comma-separated,
 * `1.20.3` or `1.20`), by default the default engine's release. Tests needing another call
 * `ensureFlinkImage` themselves.
 */
export function defaultFlinkImageVersions(): string[] {
  const listed = (process.env.SLUICE_K8S_FLINK_VERSIONS ?? DEFAULT_ENGINE_VERSION)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return listed.map(flinkImageVersion);
}

/** The name containerd and kubelet give `flink:<v>-java17` (Docker Hub's library namespace). */
export const flinkImageName = (flinkVersion: string): string =>
  `docker.io/library/flink:${flinkVersion}-java17`;

/** Runs flink-image.sh (cached: instant; cold: about a minute or two), returning the archive's path. */
export async function buildFlinkImage(flinkVersion: string, log: Log): Promise<string> {
  const script = path.join(here, 'flink-image.sh');
  // Asynchronous: a cold build takes minutes, during which a test worker must stay responsive.
  const child = spawn('bash', [script, flinkVersion], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
    for (const line of c.split('\n')) if (line.trim()) log(line);
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const archive = out.trim().split('\n').pop() ?? '';
  if (status !== 0 || !archive.endsWith('.tar'))
    throw new Error(
      `building the Flink ${flinkVersion} image failed (exit ${status}, ${script} ${flinkVersion}): ${
        err.trim().split('\n').slice(-3).join(' | ') || 'no message'
      }`,
    );
  return archive;
}

/** The manifest digest an OCI archive (oci-archive.sh's) holds, from its index.json. */
function archiveDigest(archive: string): string {
  const index = JSON.parse(
    execFileSync('tar', ['-xOf', archive, 'index.json'], { encoding: 'utf8', maxBuffer: 1 << 20 }),
  ) as { manifests: { digest: string }[] };
  const digest = index.manifests[0]?.digest;
  if (!digest) throw new Error(`Flink image: ${archive} has no manifest in its index.json`);
  return digest;
}

/** The manifest digest containerd has for an image name, or undefined when it has none. */
function importedDigest(socket: string, name: string): string | undefined {
  const listing = execFileSync(
    'ctr',
    ['--address', socket, '-n', 'k8s.io', 'images', 'ls', `name==${name}`],
    {
      encoding: 'utf8',
    },
  );
  const row = listing
    .split('\n')
    .slice(1)
    .find((l) => l.split(/\s+/)[0] === name);
  return row?.split(/\s+/).find((f) => f.startsWith('sha256:'));
}

/**
 * Builds (when not cached) and imports (when containerd lacks it, or has an older build) the image of
 * one Flink version into the containerd behind `socket`. Returns the image's name.
 */
export async function importFlinkImage(socket: string, version: string, log: Log): Promise<string> {
  const flinkVersion = flinkImageVersion(version);
  const name = flinkImageName(flinkVersion);
  const archive = await buildFlinkImage(flinkVersion, log);
  const wanted = archiveDigest(archive);
  if (importedDigest(socket, name) === wanted) return name;
  log(`importing ${name} into containerd (${archive})`);
  const started = Date.now();
  const child = spawn('ctr', ['--address', socket, '-n', 'k8s.io', 'images', 'import', archive], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0 || importedDigest(socket, name) !== wanted)
    throw new Error(
      `importing ${archive} into containerd (${socket}) failed (exit ${status}): ${err.trim() || 'the image is not listed after the import'}`,
    );
  log(`imported ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return name;
}
