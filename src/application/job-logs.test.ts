import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../domain/jobs/job.ts';
import type { JobLogs, LogBytes, LogRange, LogSource } from '../domain/logs/job-logs.ts';
import type { DeploymentTarget } from '../domain/targets/deployment-target.ts';
import { JobLogsService } from './job-logs.ts';
import type { MetadataStore } from './ports/store.ts';
import { forgetSecretsOf, rememberSecret } from './secret-masking.ts';
import type { TargetService } from './target-service.ts';

/** A log held in memory, written to as a process would: the logs role over bytes, nothing else. */
class MemoryLog implements JobLogs {
  readonly scope = 'cluster' as const;
  bytes = new Uint8Array();
  live = true;

  write(text: string): void {
    const more = new TextEncoder().encode(text);
    const all = new Uint8Array(this.bytes.length + more.length);
    all.set(this.bytes);
    all.set(more, this.bytes.length);
    this.bytes = all;
  }

  async runs(): Promise<[]> {
    return [];
  }

  async sources(): Promise<LogSource[]> {
    const s = {
      process: 'jobmanager',
      role: 'jobmanager' as const,
      size: this.bytes.length,
      live: this.live,
    };
    return [{ ...s, id: 'jobmanager.log', stream: 'log' }];
  }

  async read(_run: unknown, _id: string, range: LogRange): Promise<LogBytes> {
    const size = this.bytes.length;
    const from =
      'tailBytes' in range ? Math.max(0, size - range.tailBytes) : Math.min(size, range.fromOffset);
    const end = 'tailBytes' in range ? size : Math.min(size, from + (range.maxBytes ?? size));
    return { bytes: this.bytes.slice(from, end), from, size, live: this.live };
  }
}

const owner = {};
afterEach(() => forgetSecretsOf(owner));

function service(log: MemoryLog): JobLogsService {
  const job = { name: 'orders', target: 'prod', flinkJobId: 'f'.repeat(32) } as Job;
  const target = { name: 'prod', kind: 'remote-session', logs: log } as unknown as DeploymentTarget;
  const store = { jobs: { getByName: async (n: string) => (n === 'orders' ? job : undefined) } };
  const targets = { target: async () => target };
  return new JobLogsService(store as unknown as MetadataStore, targets as unknown as TargetService);
}

describe('job logs', () => {
  it('gives the last lines, whole, and where to read on', async () => {
    const log = new MemoryLog();
    log.write('one\ntwo\nthree\nfour (still being writ');
    const logs = service(log);
    const tail = await logs.read('orders', 'jobmanager.log', { tail: 2 });
    expect(tail).toMatchObject({ text: 'two\nthree\n', from: 4, next: 14, live: true });
    log.write('ten)\n');
    expect((await logs.read('orders', 'jobmanager.log', { from: tail.next })).text).toBe(
      'four (still being written)\n',
    );
  });

  it('masks secrets, even one written across two reads, and never finds one by search', async () => {
    rememberSecret(owner, 'token', 'S3cr3tTok');
    const log = new MemoryLog();
    log.write('props: token=S3cr');
    const logs = service(log);
    const first = await logs.read('orders', 'jobmanager.log', { from: 0 });
    expect(first.text).toBe('');
    log.write('3tTok, retries=3\n');
    expect((await logs.read('orders', 'jobmanager.log', { from: first.next })).text).toBe(
      'props: token=******, retries=3\n',
    );
    expect((await logs.read('orders', 'jobmanager.log', { search: 'S3cr3tTok' })).text).toBe('');
    expect((await logs.read('orders', 'jobmanager.log', { search: 'RETRIES' })).text).toBe(
      '1:props: token=******, retries=3\n',
    );
    expect(await logs.whole('orders', 'jobmanager.log')).toBe('props: token=******, retries=3\n');
  });

  it('follows new lines until the process no longer writes, then gives the unfinished last line', async () => {
    const log = new MemoryLog();
    log.write('started\n');
    const logs = service(log);
    const stop = new AbortController();
    const lines = await logs.follow('orders', 'jobmanager.log', 8, { signal: stop.signal, intervalMs: 5 });
    const seen: string[] = [];
    setTimeout(() => log.write('checkpoint 1\n'), 20);
    setTimeout(() => {
      log.write('bye, no newline');
      log.live = false;
    }, 60);
    for await (const r of lines) seen.push(r.text);
    expect(seen).toEqual(['checkpoint 1\n', 'bye, no newline']);
  });

  it('reads an ended log larger than one answer in whole lines, so no secret is cut in two', async () => {
    rememberSecret(owner, 'token', 'S3cr3tTok');
    const log = new MemoryLog();
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i} token=S3cr3tTok\n`).join('');
    log.write(`${lines}last words`);
    log.live = false;
    const stop = new AbortController();
    const chunks: string[] = [];
    for await (const r of await service(log).follow('orders', 'jobmanager.log', 0, { signal: stop.signal }))
      chunks.push(r.text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks.slice(0, -1)) expect(c.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(`${lines}last words`.replaceAll('S3cr3tTok', '******'));
  });

  it('starts again at the beginning of a log that was rolled over under the reader', async () => {
    const log = new MemoryLog();
    log.write('a long first file\n');
    const logs = service(log);
    const end = (await logs.read('orders', 'jobmanager.log', { tail: 1 })).next;
    log.bytes = new Uint8Array();
    log.write('new\n');
    expect(await logs.read('orders', 'jobmanager.log', { from: end })).toMatchObject({
      text: 'new\n',
      next: 4,
    });
  });

  it('refuses a source the job does not have, naming those it has', async () => {
    const logs = service(new MemoryLog());
    await expect(logs.read('orders', 'taskmanager-9.log')).rejects.toThrow(
      "job orders has no log source 'taskmanager-9.log': its sources are jobmanager.log (`sluice job logs orders --list`)",
    );
    await expect(logs.read('nope', 'jobmanager.log')).rejects.toThrow("job 'nope' does not exist");
  });

  it("shows a session's processes now whatever the job's run, and a run's kept logs only when asked", async () => {
    const kept = 'a'.repeat(32);
    const asked: (string | null)[] = [];
    // A Kubernetes session's logs: its pods now, and what was kept when a run of the job ended on it.
    class SessionLog extends MemoryLog {
      override async runs() {
        return [{ flinkJobId: kept, at: '2026-12-03T18:00:00.000Z', live: false }] as unknown as [];
      }
      override async sources(ref?: { flinkJobId: string | null }) {
        asked.push(ref?.flinkJobId ?? null);
        return super.sources();
      }
    }
    const logs = service(new SessionLog());
    // The job's current run (ffff...) is not where a session's logs are: they are the session's now.
    expect(await logs.sources('orders')).toMatchObject({
      scope: 'cluster',
      run: null,
      runs: [{ flinkJobId: kept }],
    });
    expect(await logs.sources('orders', kept)).toMatchObject({ scope: 'cluster', run: kept });
    expect(asked).toEqual([null, kept]);
    await expect(logs.read('orders', 'jobmanager.log', { run: 'b'.repeat(32) })).rejects.toThrow(
      `job orders has no kept logs of run ${'b'.repeat(32)}`,
    );
  });
});
