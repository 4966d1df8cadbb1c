import fs from 'node:fs';

/** The argv of a live process, or undefined when it is gone (or a zombie, whose cmdline is empty). */
export function processArgs(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.split('\0').filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}

/** Every live process whose argv contains `marker` exactly. */
export function processesWithArg(marker: string): { pid: number; args: string[] }[] {
  const out: { pid: number; args: string[] }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = processArgs(Number(entry));
    if (args?.includes(marker)) out.push({ pid: Number(entry), args });
  }
  return out;
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** The last `lines` lines of a text file (reads at most the last 32 KB). */
export function tail(file: string, lines = 20): string[] {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, 32 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      return buf.toString('utf8').split('\n').filter(Boolean).slice(-lines);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
}
