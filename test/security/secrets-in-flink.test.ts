import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedPlatform } from '../support/cli.ts';
import { authHeaders } from '../support/credentials.ts';
import { expectCleanJson, stringsIn } from '../support/secrets.ts';
import { waitFor, type TestPlatform } from '../support/platform.ts';
import { callApi } from '../support/http.ts';

/**
 * Security suite, issue 11 items 1 and 2 where Flink is involved: secrets shaped like JSON, with
 * backslashes or in other scripts, substituted into SQL that really runs, come back masked where
 * they enter the platform (plans, debug rows, Flink's errors, catalog browsing), before any answer
 * is built; what a catalog keeps holds references, never the values.
 */
const tag = Date.now().toString(36);
const W: Record<string, string> = {
  w_json: `{"k":[1,2]},${tag}`,
  w_slash: `C:\\x\\n${tag}\\`,
  w_uni: `пароль-密码-${tag}`,
};
const ALL = Object.values(W);
const FORMS = ALL.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]).map((s) => Buffer.from(s, 'utf8'));

const SOURCE = `CREATE TABLE s (id INT) WITH (
  'connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.min' = '1', 'fields.id.max' = '9'
);`;
const SELECT = `${SOURCE}
SELECT '\${w_json}' AS a, '\${w_slash}' AS b, '\${w_uni}' AS c, id FROM s;`;
const INSERT = `${SOURCE}
CREATE TABLE k (a STRING, b STRING, c STRING) WITH ('connector' = 'blackhole');
INSERT INTO k SELECT '\${w_json}', '\${w_slash}', '\${w_uni}' FROM s WHERE id > 2;`;

/** No secret value in any string of the value. */
const clean = (v: unknown) => {
  for (const s of stringsIn(v)) for (const x of ALL) expect(s).not.toContain(x);
  return v;
};
const cleanJson = (body: string) => expectCleanJson(body, ALL);

describe('secrets through a running engine', () => {
  let t: TestPlatform;
  let url: string;
  let close: () => Promise<void>;
  const api = (method: string, p: string, body?: unknown) => callApi(url, method, p, body);

  beforeAll(async () => {
    ({ t, url, close } = await servedPlatform({ sharedLocalCluster: true }));
    for (const [name, value] of Object.entries(W))
      expect((await api('PUT', `/variables/${name}`, { value, secret: true })).status).toBe(200);
  });
  afterAll(async () => close?.());

  it('masks a catalog browsed through the engine, and keeps the catalog as references', async () => {
    const saved = await api('PUT', '/catalogs/mem?cluster=local-1.20', {
      type: 'generic_in_memory',
      options: { 'default-database': W.w_uni },
      description: `scratch for ${W.w_json}`,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(cleanJson(saved.text)).toMatchObject({
      options: { 'default-database': '${w_uni}' },
      description: 'scratch for ${w_json}',
    });
    // Flink names the database by the secret's value; the platform says it masked.
    expect(await t.platform.catalogs.databases('mem', 'local-1.20')).toEqual(['******']);
    cleanJson((await api('GET', '/catalogs/mem/databases?cluster=local-1.20')).text);
  });

  it('masks plans and the errors Flink quotes where they enter', async () => {
    const report = await t.platform.sql.explain(INSERT, { target: 'local-1.20' });
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.plans[0]!.plan).toContain("'******'");
    clean(report);
    cleanJson((await api('POST', '/sql/explain', { sql: INSERT, target: 'local-1.20' })).text);

    // Flink quotes the bad value back in its error.
    const bad = INSERT.replace("'fields.id.min' = '1'", "'fields.id.kind' = '${w_json}'");
    const refused = await t.platform.sql.explain(bad, { target: 'local-1.20' });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused.problems)).toContain('******');
    clean(refused);
    cleanJson((await api('POST', '/sql/explain', { sql: bad, target: 'local-1.20' })).text);
  });

  it('masks debug rows as they arrive, and every event of their stream parses', async () => {
    const started = await api('POST', '/sql/debug', { sql: SELECT, rowLimit: 3, target: 'local-1.20' });
    expect(started.status, started.text).toBe(202);
    const id = (JSON.parse(started.text) as { id: string }).id;
    const view = await t.platform.debug.settled(id);
    expect(view.rowCount).toBe(3);
    const rows: unknown[] = [];
    const unsubscribe = t.platform.debug.subscribe(id, (e) => {
      if (e.type === 'row') rows.push(e.row);
    });
    unsubscribe();
    expect(rows).toHaveLength(3);
    expect(clean(rows)).toEqual(
      Array.from({ length: 3 }, () =>
        expect.objectContaining({ fields: ['******', '******', '******', expect.any(Number)] }),
      ),
    );
    const events = await fetch(`${url}/api/v1/sql/debug/${id}/results`, { headers: authHeaders(url) }).then(
      (r) => r.text(),
    );
    const data = events.split('\n').filter((l) => l.startsWith('data: '));
    expect(data.length).toBeGreaterThanOrEqual(4);
    for (const l of data) cleanJson(l.slice('data: '.length));
  });

  it('leaves no value in the log, nor in the SQLite file and its WAL', async () => {
    await waitFor('the log written', async () => fs.existsSync(path.join(t.home, 'sluice.log')));
    const lines = fs.readFileSync(path.join(t.home, 'sluice.log'), 'utf8').split('\n').filter(Boolean);
    for (const l of lines) cleanJson(l);
    for (const f of fs.readdirSync(t.home).filter((f) => f.startsWith('sluice.db'))) {
      const b = fs.readFileSync(path.join(t.home, f));
      for (const form of FORMS) expect(b.includes(form), `${f} holds a secret`).toBe(false);
    }
  });
});
