import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Writes Java sources into `src` and compiles them with javac against an engine's own lib/ into `classes`. */
export function compileAgainstEngine(
  engineHome: string,
  src: string,
  classes: string,
  java: Record<string, string>,
): void {
  for (const [file, text] of Object.entries(java)) fs.writeFileSync(path.join(src, file), text);
  const lib = path.join(engineHome, 'lib');
  const classpath = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => path.join(lib, f))
    .join(':');
  execFileSync('javac', [
    '-nowarn',
    '-cp',
    classpath,
    '-d',
    classes,
    ...Object.keys(java).map((f) => path.join(src, f)),
  ]);
}
