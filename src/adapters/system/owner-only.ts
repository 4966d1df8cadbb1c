import fs from 'node:fs';

/**
 * Owner-only files: Sluice's home, its metadata database and its secret key hold what others on the
 * machine must not read. New ones are created so; existing ones that others can read or write are
 * tightened, and each change is said (`say`), since it changes what others could do before.
 */
const looser = (mode: number) => (mode & 0o077) !== 0;
const octal = (mode: number) => (mode & 0o777).toString(8);

function tighten(p: string, say: (line: string) => void): void {
  const mode = fs.statSync(p).mode;
  if (!looser(mode)) return;
  const tight = mode & 0o700;
  fs.chmodSync(p, tight);
  say(`${p} was open to other users (mode ${octal(mode)}): now ${octal(tight)}, owner only`);
}

/** Creates a folder (and its parents) with mode 0700, or tightens it. */
export function ownerOnlyFolder(dir: string, say: (line: string) => void): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The umask may have taken bits away, never added any: the mode is set exactly.
    fs.chmodSync(dir, 0o700);
    return;
  }
  tighten(dir, say);
}

/** Creates an empty file with mode 0600 if there is none (SQLite then gives its WAL the same mode). */
export function ownerOnlyFile(file: string, say: (line: string) => void): void {
  try {
    fs.closeSync(
      fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600),
    );
    fs.chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    tighten(file, say);
  }
}

/** Tightens a file if it exists; creates nothing. */
export function tightenIfPresent(file: string, say: (line: string) => void): void {
  if (fs.existsSync(file)) tighten(file, say);
}
