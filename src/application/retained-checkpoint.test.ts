import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newestRetainedCheckpoint } from './submissions.ts';

const dirs: string[] = [];
const checkpoints = (...retained: number[]) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chk-'));
  dirs.push(dir);
  for (const n of retained) {
    fs.mkdirSync(path.join(dir, `chk-${n}`));
    fs.writeFileSync(path.join(dir, `chk-${n}`, '_metadata'), 'x');
  }
  fs.mkdirSync(path.join(dir, 'shared'));
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the retained checkpoint recorded after a cancel', () => {
  it('is the one Flink reported while it is on disk', () => {
    const dir = checkpoints(4);
    expect(newestRetainedCheckpoint(`file:${dir}/chk-4`)).toBe(`file:${dir}/chk-4`);
    expect(newestRetainedCheckpoint(`${dir}/chk-4`)).toBe(`${dir}/chk-4`);
  });

  it('is the newest chk-N beside it when Flink’s cached statistics named one a newer checkpoint subsumed', () => {
    const dir = checkpoints(9, 10);
    fs.mkdirSync(path.join(dir, 'chk-11')); // in progress when the job was cancelled: no _metadata
    expect(newestRetainedCheckpoint(`file:${dir}/chk-7`)).toBe(`file:${dir}/chk-10`);
  });

  it('is nothing when no checkpoint beside it holds a _metadata, and a remote path is kept as given', () => {
    expect(newestRetainedCheckpoint(`file:${checkpoints()}/chk-3`)).toBeNull();
    expect(newestRetainedCheckpoint('s3://bucket/job/chk-3')).toBe('s3://bucket/job/chk-3');
  });
});
