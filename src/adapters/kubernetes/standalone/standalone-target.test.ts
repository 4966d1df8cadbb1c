import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { placeJars } from './standalone-target.ts';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("a run's jars in its usrlib", () => {
  it('are numbered in classpath order and readable by the pods’ flink user, whatever mode the store gave them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-usrlib-'));
    made.push(dir);
    const store = path.join(dir, 'store');
    fs.mkdirSync(store);
    const jars = ['job.jar', 'lib.jar'].map((n) => path.join(store, n));
    for (const j of jars) fs.writeFileSync(j, j, { mode: 0o600 });
    const usrlib = path.join(dir, 'run', 'usrlib');
    fs.mkdirSync(usrlib, { recursive: true });
    fs.writeFileSync(path.join(usrlib, '00-old.jar'), 'an earlier run');
    placeJars(usrlib, jars);
    expect(fs.readdirSync(usrlib).sort()).toEqual(['00-job.jar', '01-lib.jar']);
    expect(fs.statSync(usrlib).mode & 0o777).toBe(0o755);
    for (const f of fs.readdirSync(usrlib))
      expect(fs.statSync(path.join(usrlib, f)).mode & 0o777).toBe(0o644);
    expect(fs.readFileSync(path.join(usrlib, '01-lib.jar'), 'utf8')).toBe(jars[1]);
  });
});
