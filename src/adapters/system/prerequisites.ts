import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/** Finds a program on the PATH of `env` (not of this process, so tests can take things away). */
export function which(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, program);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface JavaRuntime {
  path: string;
  major: number;
  description: string;
}

/** Flink 1.20 runs on Java 11 and 17 (21 is experimental upstream); Sluice's JVM flags assume 11+. */
export const SUPPORTED_JAVA = [11, 17, 21];

export function findJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
  const fromHome = env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : undefined;
  const java = fromHome && fs.existsSync(fromHome) ? fromHome : which('java', env);
  if (!java)
    throw new SluiceError('prerequisite_missing', message('system.noJava'), { prerequisite: 'java' });
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (r.status !== 0 || !m)
    throw new SluiceError(
      'prerequisite_missing',
      message('system.noJavaVersion', { java, output: text.trim() }),
      { prerequisite: 'java' },
    );
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  if (!SUPPORTED_JAVA.includes(major))
    throw new SluiceError('prerequisite_missing', message('system.unsupportedJava', { major, java }), {
      prerequisite: 'java',
      found: major,
    });
  return { path: java, major, description: text.split('\n')[0]!.trim() };
}

export function findMaven(env: NodeJS.ProcessEnv = process.env): string {
  const mvn = which('mvn', env);
  if (!mvn) throw new SluiceError('prerequisite_missing', message('system.noMaven'), { prerequisite: 'mvn' });
  return mvn;
}

export function findGit(env: NodeJS.ProcessEnv = process.env): string {
  const git = which('git', env);
  if (!git) throw new SluiceError('prerequisite_missing', message('system.noGit'), { prerequisite: 'git' });
  return git;
}

/** Debian's `prometheus` (scripts/prerequisites.sh installs it), run by Sluice as its embedded Prometheus. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string {
  const prometheus = which('prometheus', env);
  if (!prometheus)
    throw new SluiceError('prerequisite_missing', message('system.noPrometheus'), {
      prerequisite: 'prometheus',
    });
  return prometheus;
}

/** Debian's `prometheus-alertmanager` (scripts/prerequisites.sh installs it), Sluice's embedded Alertmanager. */
export function findAlertmanager(env: NodeJS.ProcessEnv = process.env): string {
  const found = which('prometheus-alertmanager', env) ?? which('alertmanager', env);
  if (!found)
    throw new SluiceError('prerequisite_missing', message('system.noAlertmanager'), {
      prerequisite: 'prometheus-alertmanager',
    });
  return found;
}
