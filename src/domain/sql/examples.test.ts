import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripComments } from './statements.ts';
import { checkSyntax } from './syntax.ts';
import { parseExample } from './examples.ts';

/** The gallery of worked job scripts users copy into a new job. */
const dir = new URL('../../../examples/sql/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');

/** `-- title:`, `-- description:` and `-- tags:` as the first three lines, in that order. */
const header = (sql: string) => parseExample('', sql);

/** Each CREATE TABLE statement of a script, comments left out. */
const createTables = (sql: string) =>
  stripComments(sql)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => /^CREATE\s+(TEMPORARY\s+)?TABLE\b/i.test(s));

describe('the SQL examples gallery', () => {
  it('has at least 12 examples, with the ones the docs point to', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const required of [
      'datagen-to-print.sql',
      'tumbling-window.sql',
      'regular-join.sql',
      'interval-join.sql',
      'temporal-join.sql',
      'top-n.sql',
      'deduplication.sql',
      'kafka-in-kafka-out.sql',
      'kafka-to-jdbc.sql',
      'statement-set.sql',
      'filesystem-sink.sql',
    ])
      expect(files).toContain(required);
    expect(files.some((f) => f === 'hop-window.sql' || f === 'cumulate-window.sql')).toBe(true);
  });

  it('says what must run first only where it must: the local broker for the local Kafka pipeline', () => {
    expect(header(read('local-kafka-pipeline.sql'))!.needs).toMatch(
      /^the local Kafka broker \(`sluice kafka start`\)/,
    );
    expect(header(read('kafka-in-kafka-out.sql'))!.needs).toBeNull();
  });

  it('gives every example a distinct title', () => {
    const titles = files.map((f) => header(read(f))?.title);
    expect(new Set(titles).size).toBe(files.length);
  });

  describe.each(files)('%s', (file) => {
    const sql = read(file);

    it('has a kebab-case file name', () => {
      expect(file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.sql$/);
    });

    it('starts with a title, description and tags header', () => {
      const h = header(sql);
      expect(h, 'the first three lines must be -- title:, -- description:, -- tags:').not.toBeNull();
      expect(h!.title.length).toBeLessThanOrEqual(80);
      expect(h!.description.length).toBeGreaterThanOrEqual(20);
      expect(h!.tags.length).toBeGreaterThan(0);
      for (const tag of h!.tags) expect(tag).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it('is a job script with no syntax error', () => {
      const errors = checkSyntax(sql, { asJob: true }).problems.filter((p) => p.severity === 'error');
      expect(errors).toEqual([]);
    });

    it('declares every table with its own columns (no LIKE), as a debug run needs', () => {
      const tables = createTables(sql);
      expect(tables.length).toBeGreaterThan(0);
      for (const t of tables) {
        expect(t).toMatch(/^CREATE\s+(TEMPORARY\s+)?TABLE\s+[\w.`]+\s*\(/i);
        expect(t).not.toMatch(/\)\s*(WITH\s*\([\s\S]*\)\s*)?LIKE\b/i);
      }
    });

    it('keeps datagen sources endless and small', () => {
      const body = stripComments(sql);
      expect(body).not.toMatch(/'number-of-rows'/);
      for (const t of createTables(sql).filter((s) => /'connector'\s*=\s*'datagen'/.test(s)))
        expect(t).toMatch(/'rows-per-second'\s*=\s*'\d+'/);
      for (const m of body.matchAll(/'fields\.\w+\.end'\s*=\s*'(\d+)'/g))
        expect(Number(m[1])).toBeLessThanOrEqual(100000);
    });

    it('puts watermarks on TIMESTAMP(3) columns', () => {
      for (const t of createTables(sql)) {
        const wm = /WATERMARK\s+FOR\s+(\w+)\s+AS/i.exec(t);
        if (!wm) continue;
        expect(t).toMatch(new RegExp(`\\b${wm[1]}\\s+TIMESTAMP\\(3\\)`, 'i'));
      }
    });
  });
});
