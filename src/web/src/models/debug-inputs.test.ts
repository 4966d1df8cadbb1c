import { describe, expect, it } from 'vitest';
import { debugSources, debugSourceTables, formatOfFile, type GivenRows } from './debug-inputs.ts';

const SQL = `CREATE TABLE clicks (
  user_id INT,
  url STRING,
  ts AS PROCTIME()
) WITH ('connector' = 'kafka');
CREATE TABLE users (id INT, name STRING) WITH ('connector' = 'jdbc');
CREATE TABLE out_t (user_id INT, url STRING, name STRING) WITH ('connector' = 'print');
INSERT INTO out_t SELECT c.user_id, c.url, u.name FROM clicks c JOIN users u ON c.user_id = u.id;
`;
const TABLES = debugSourceTables(SQL);
const given = (table: string | null, format: GivenRows['format'], text: string): GivenRows => ({
  table,
  format,
  text,
});

describe('debug run inputs', () => {
  it('lists the source tables a run generates rows for, with the columns given rows fill', () => {
    expect(TABLES).toEqual([
      { name: 'clicks', columns: ['user_id', 'url'] },
      { name: 'users', columns: ['id', 'name'] },
    ]);
    expect(debugSourceTables('this is not SQL')).toEqual([]);
  });

  it('sends JSON rows (an array, or one object per line) and CSV text per table', () => {
    expect(
      debugSources(
        [
          given('clicks', 'json', '[{"user_id": 1, "url": "/a"}, {"user_id": 2, "url": "/b"}]'),
          given('users', 'csv', '1,ann\n2,bob'),
        ],
        TABLES,
      ),
    ).toEqual({
      ok: true,
      sources: {
        clicks: {
          rows: [
            { user_id: 1, url: '/a' },
            { user_id: 2, url: '/b' },
          ],
        },
        users: { csv: '1,ann\n2,bob\n' },
      },
    });
    expect(debugSources([given('clicks', 'json', '{"user_id": 1}\n\n{"user_id": 2}\n')], TABLES)).toEqual({
      ok: true,
      sources: { clicks: { rows: [{ user_id: 1 }, { user_id: 2 }] } },
    });
  });

  it('names what is wrong, where, before anything is sent', () => {
    const problem = (g: GivenRows[]) => {
      const r = debugSources(g, TABLES);
      return r.ok ? null : r.problem;
    };
    expect(problem([given(null, 'json', '[]')])).toEqual({ key: 'debug.given.noTable', values: { n: 1 } });
    expect(problem([given('out_t', 'csv', '1,/a,ann')])).toEqual({
      key: 'debug.given.notSource',
      values: { table: 'out_t', sources: 'clicks, users' },
    });
    expect(problem([given('users', 'csv', '1,a'), given('users', 'csv', '2,b')])).toEqual({
      key: 'debug.given.twice',
      values: { table: 'users' },
    });
    expect(problem([given('users', 'csv', '  \n')])).toEqual({
      key: 'debug.given.empty',
      values: { table: 'users' },
    });
    expect(problem([given('clicks', 'json', '{"user_id": 1}\n{"user_id": ')])).toMatchObject({
      key: 'debug.given.notJson',
      values: { table: 'clicks', line: 2 },
    });
    expect(problem([given('clicks', 'json', '[{"user_id": 1}, 7]')])).toEqual({
      key: 'debug.given.notObject',
      values: { table: 'clicks', row: 2 },
    });
  });

  it("reads a file's format from its name", () => {
    expect(formatOfFile('clicks.CSV')).toBe('csv');
    expect(formatOfFile('rows.json')).toBe('json');
    expect(formatOfFile('rows.ndjson')).toBe('json');
    expect(formatOfFile('rows.jsonl')).toBe('json');
    expect(formatOfFile('rows.txt')).toBeNull();
    expect(formatOfFile('rows')).toBeNull();
  });
});
