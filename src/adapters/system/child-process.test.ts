import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';
import { runProcess } from './child-process.ts';

const sh = (script: string, o: Partial<Parameters<typeof runProcess>[2]> = {}) =>
  runProcess('/bin/sh', ['-c', script], { cwd: '/tmp', env: process.env, ...o });

describe('runProcess', () => {
  it('collects stdout and stderr line by line, without colours or empty lines, and the exit code', async () => {
    const seen: string[] = [];
    const r = await sh("printf 'a\\n\\n\\033[1mb\\033[0m\\r\\n'; echo c >&2; printf tail; exit 3", {
      onLine: (l) => seen.push(l),
    });
    expect(r.code).toBe(3);
    expect(r.lines.sort()).toEqual(['a', 'b', 'c', 'tail']);
    expect(seen.sort()).toEqual(r.lines);
    expect(r).toMatchObject({ timedOut: false, stopped: false });
  });

  it('kills a program that runs past its time, and one whose caller stops it', async () => {
    expect(await sh('sleep 30', { timeoutMs: 200 })).toMatchObject({ timedOut: true, code: null });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    expect(await sh('sleep 30', { signal: stop.signal })).toMatchObject({ stopped: true, timedOut: false });
  });

  it('refuses a program that cannot be run, naming it, or with the caller’s own error', async () => {
    const none = runProcess('/nonexistent/tool', [], { cwd: '/tmp', env: {} });
    await expect(none).rejects.toThrow(/could not run \/nonexistent\/tool: spawn \/nonexistent\/tool ENOENT/);
    const own = runProcess('/nonexistent/mvn', [], {
      cwd: '/tmp',
      env: {},
      cannotRun: (detail) =>
        new SluiceError('prerequisite_missing', message('engine.cannotRunMaven', { mvn: 'mvn', detail })),
    });
    await expect(own).rejects.toThrow(/could not run Maven \(mvn\): spawn \/nonexistent\/mvn ENOENT/);
  });
});
