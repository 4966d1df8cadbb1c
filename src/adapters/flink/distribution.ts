import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { readManifest } from './provisioning/engine-manifest.ts';
import type { FlinkDistribution } from '../../application/ports/engines.ts';

export type { FlinkDistribution };

export function inspectDistribution(home: string): FlinkDistribution {
  const lib = path.join(home, 'lib');
  if (!fs.existsSync(lib) || !fs.statSync(lib).isDirectory())
    throw new SluiceError('invalid_argument', message('engine.noLib', { home }), { field: 'home' });
  const jars = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .sort();
  const dist = jars.filter((f) => /^flink-dist[-_]/.test(f));
  if (dist.length > 1)
    throw new SluiceError(
      'invalid_argument',
      message('engine.manyDistJars', { lib, count: dist.length, jars: dist.join(', ') }),
      { field: 'home' },
    );
  const version =
    readManifest(home)?.flinkVersion ??
    versionFromJars(dist[0] ?? jars.find((j) => j.startsWith('flink-runtime-')));
  if (!version)
    throw new SluiceError('invalid_argument', message('engine.noDistJar', { home }), { field: 'home' });
  const opt = path.join(home, 'opt');
  const gatewayJars = fs.existsSync(opt)
    ? fs
        .readdirSync(opt)
        .filter((f) => /^flink-sql-gateway.*\.jar$/.test(f))
        .sort()
        .map((f) => path.join(opt, f))
    : [];
  if (gatewayJars.length === 0)
    throw new SluiceError('invalid_argument', message('engine.noGatewayJar', { home }), { field: 'home' });
  const ordered = [...jars.filter((j) => !dist.includes(j)), ...dist];
  return { home, flinkVersion: version, classpath: ordered.map((j) => path.join(lib, j)), gatewayJars };
}

function versionFromJars(jar: string | undefined): string | undefined {
  return jar ? /(\d+\.\d+\.\d+)/.exec(jar)?.[1] : undefined;
}
