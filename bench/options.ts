/**
 * `npm run bench options`: what a job's options cost its start, with 100, 1,000 and 10,000 `SET`
 * lines in its script (issue 11: 10,000 once took 413 s, one gateway round trip each). The options
 * now open the job's SQL session in one request; the script's check (grammar, Flink's parser) reads
 * every line. Prints the time of the validate and open SQL session steps, in all and per statement.
 */
import { benchPlatform } from './platform.ts';

const SIZES = [100, 1000, 10_000];

export async function options(scratch: string): Promise<void> {
  console.log('\n== a job with many SET lines: validate and apply its options ==');
  const platform = await benchPlatform(scratch, 'options-home', {
    taskManagerMemory: '1280m',
    slotsPerTaskManager: 4,
  });
  try {
    await platform.targets.start('bench', () => {});
    for (const n of SIZES) {
      const sets = Array.from({ length: n }, (_, i) => `SET 'sluice.bench.option-${i}' = 'value ${i}';`);
      const sql = `${sets.join('\n')}
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT id FROM src;`;
      const name = `options-${n}`;
      const t0 = performance.now();
      await platform.jobs.create({ name, sql, target: 'bench' }, 'bench');
      const saved = performance.now() - t0;
      const sub = await platform.jobs.start(name, {}, 'bench');
      await platform.submissions.wait(sub.id);
      const done = (await platform.store.lifecycle.submission(sub.id))!;
      if (done.status !== 'succeeded') throw new Error(`${name}: ${done.error}`);
      const took = (step: string) => {
        const s = done.steps.find((x) => x.name === step)!;
        return Date.parse(s.endedAt!) - Date.parse(s.startedAt);
      };
      const [validate, open] = [took('validate'), took('open SQL session')];
      const total = Date.parse(done.finishedAt!) - Date.parse(done.createdAt);
      console.log(
        `${String(n).padStart(6)} SET lines: save ${Math.round(saved)} ms; start ${total} ms, of which validate ${validate} ms (${(validate / n).toFixed(2)} ms per statement), open SQL session with the options ${open} ms (${(open / n).toFixed(3)} ms per option)`,
      );
      const cancel = await platform.jobs.cancel(name, 'bench');
      await platform.submissions.wait(cancel.id);
    }
  } finally {
    await platform.close();
  }
}
