import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { renderMessage } from '../messages.ts';
import {
  checkFilePaths,
  filePathsOutside,
  localFileOptions,
  localPathOf,
  parseAllowedFilePaths,
  parseSpaceFolders,
  type SpaceFolders,
} from './file-paths.ts';

const ALLOWED = ['/home/ann/.sluice/files/team-a', '/data/in/'];
/** Team A's own folder beside a folder every space shares. */
const TEAM_A: SpaceFolders = { space: 'team-a', own: [ALLOWED[0]!], allowed: ALLOWED };
const table = (opts: string) =>
  `CREATE TABLE t (id BIGINT) WITH ('connector' = 'filesystem', ${opts}, 'format' = 'csv');\nINSERT INTO t VALUES (1);`;

describe('local file paths in job SQL', () => {
  it('reads file: URIs and plain paths of path-like options as local paths, `..` resolved', () => {
    expect(localPathOf('path', 'file:///data/in/x.csv')).toBe('/data/in/x.csv');
    expect(localPathOf('path', 'file:/data/in/x.csv')).toBe('/data/in/x.csv');
    expect(localPathOf('path', 'file://localhost//data/in/')).toBe('/data/in');
    expect(localPathOf('path', 'FILE://otherhost/etc/passwd')).toBe('/etc/passwd');
    expect(localPathOf('path', '/data/in/../../etc/shadow')).toBe('/etc/shadow');
    expect(localPathOf('path', 'out/orders')).toBeNull();
    expect(localPathOf('warehouse', '/tmp/paimon')).toBe('/tmp/paimon');
    expect(localPathOf('properties.ssl.truststore.location', '/etc/ssl/x.jks')).toBe('/etc/ssl/x.jks');
    expect(localPathOf('hive-conf-dir', '/etc/hive')).toBe('/etc/hive');
    // Any option with a file: value, whatever its key.
    expect(localPathOf('schema.registry.url', 'file:///etc/passwd')).toBe('/etc/passwd');
    // Other file systems and options that name no path are not local files.
    expect(localPathOf('path', 's3://bucket/orders')).toBeUndefined();
    expect(localPathOf('path', 'hdfs:///orders')).toBeUndefined();
    expect(localPathOf('topic', '/not/a/path/key')).toBeUndefined();
    expect(localPathOf('sink.rolling-policy.file-size', '128MB')).toBeUndefined();
  });

  it('finds the options of tables and catalogs with their positions', () => {
    const sql = `CREATE CATALOG lake WITH ('type' = 'paimon', 'warehouse' = 'file:///srv/lake');
CREATE TABLE src (id BIGINT) WITH (
  'connector' = 'filesystem',
  'path' = '/data/in/../x', 'format' = 'json');
CREATE TABLE k (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 'a');`;
    expect(localFileOptions(sql)).toEqual([
      {
        kind: 'catalog',
        name: 'lake',
        option: 'warehouse',
        value: 'file:///srv/lake',
        path: '/srv/lake',
        line: 1,
        column: 60,
      },
      {
        kind: 'table',
        name: 'src',
        option: 'path',
        value: '/data/in/../x',
        path: '/data/x',
        line: 4,
        column: 12,
      },
    ]);
  });

  it('allows paths under the allowed folders and refuses the others, relative ones and ones escaping by `..`', () => {
    expect(filePathsOutside(table("'path' = 'file:///data/in/orders'"), ALLOWED)).toEqual([]);
    expect(filePathsOutside(table("'path' = '/home/ann/.sluice/files/team-a'"), ALLOWED)).toEqual([]);
    expect(filePathsOutside(table("'path' = 's3://b/x'"), ALLOWED)).toEqual([]);
    for (const p of ['file:///etc/passwd', '/data/in/../secret', '/data/input', 'relative/out'])
      expect(filePathsOutside(table(`'path' = '${p}'`), ALLOWED).map((o) => o.value)).toEqual([p]);
  });

  it('follows symbolic links of the path and of the allowed folders', () => {
    const links: Record<string, string> = { '/data/in/link': '/etc' };
    const realpath = (p: string) => {
      for (const [from, to] of Object.entries(links))
        if (p === from || p.startsWith(`${from}/`)) return to + p.slice(from.length);
      return p;
    };
    expect(filePathsOutside(table("'path' = '/data/in/link/passwd'"), ALLOWED, realpath)).toHaveLength(1);
    expect(filePathsOutside(table("'path' = '/data/in/real'"), ALLOWED, realpath)).toEqual([]);
  });

  it('refuses naming the table, the option, the path, its line and the allowed folders', () => {
    let error: unknown;
    try {
      checkFilePaths(table("'path' = 'file:///etc/passwd'"), TEAM_A);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SluiceError);
    const e = error as SluiceError;
    expect(e.code).toBe('invalid_argument');
    expect(e.text?.code).toBe('sql.tableFileOutside');
    expect(renderMessage(e.text!)).toBe(
      "table t: option 'path' = 'file:///etc/passwd' (line 1) is a file on the cluster's machine outside the folders space team-a's jobs may use (/home/ann/.sluice/files/team-a, /data/in/): give an absolute path under one of them, or ask a platform admin to add its folder to the space's folders (sluice space folders team-a --set /home/ann/.sluice/files/team-a,/etc/passwd)",
    );
    expect(() =>
      checkFilePaths("CREATE CATALOG h WITH ('type' = 'hive', 'hive-conf-dir' = '/etc/hive');", TEAM_A),
    ).toThrow(/^catalog h: option 'hive-conf-dir' = '\/etc\/hive'/);
  });
});

describe('variables in local file paths', () => {
  it('judges values with their plain variables substituted and leaves those still holding a reference to the run', () => {
    const resolve = (v: string) => ({ text: v.replace('${out_dir}', '/etc'), variables: [] });
    const sql = table("'path' = 'file://${out_dir}/x', 'sink.dir' = '${secret_dir}'");
    expect(filePathsOutside(sql, ALLOWED, undefined, resolve).map((o) => [o.option, o.value])).toEqual([
      ['path', 'file:///etc/x'],
    ]);
  });
});

describe('SLUICE_ALLOWED_FILE_PATHS', () => {
  it('is no folder when unset (each space has its own), else absolute folders, normalised; a relative one is refused', () => {
    expect(parseAllowedFilePaths(undefined)).toEqual([]);
    expect(parseAllowedFilePaths(' ')).toEqual([]);
    expect(parseAllowedFilePaths('/srv/files/, /data/./x/../in')).toEqual(['/srv/files', '/data/in']);
    expect(() => parseAllowedFilePaths('/srv,data')).toThrow(
      "SLUICE_ALLOWED_FILE_PATHS: 'data' is not an absolute folder",
    );
  });
});

describe("a space's own folders", () => {
  it('are absolute folders, normalised, each once; the first relative one is refused by name and nothing else judged', () => {
    expect(parseSpaceFolders('team-a', [' /srv/a/ ', '/srv/./a', '/data/x/../in'])).toEqual([
      '/srv/a',
      '/data/in',
    ]);
    expect(parseSpaceFolders('team-a', [])).toEqual([]);
    let error: unknown;
    try {
      parseSpaceFolders('team-a', ['/srv/a', 'srv/b', '']);
    } catch (e) {
      error = e;
    }
    const e = error as SluiceError;
    expect(e.code).toBe('invalid_argument');
    expect(e.details).toEqual({ field: 'folders', entry: 'srv/b' });
    expect(renderMessage(e.text!)).toBe(
      "folders: 'srv/b' is not an absolute folder: give absolute folders on the cluster's machine, such as /srv/flink-files/team-a",
    );
    expect(() => parseSpaceFolders('team-a', [''])).toThrow("folders: '' is not an absolute folder");
  });
});

describe('SET options naming files', () => {
  it('judges a SET whose value is a file: URI or whose key names a path, and names the SET in the refusal', () => {
    const sql = `SET 'state.checkpoints.dir' = 'file:///etc/ck';
SET 'execution.checkpointing.dir' = 's3://b/ck';
SET 'pipeline.jars' = 'file:///data/in/udf.jar';
SET 'parallelism.default' = '/2';
CREATE TABLE t (id INT) WITH ('connector' = 'datagen');`;
    expect(localFileOptions(sql).map((o) => [o.kind, o.option, o.path, o.line])).toEqual([
      ['set', 'state.checkpoints.dir', '/etc/ck', 1],
      ['set', 'pipeline.jars', '/data/in/udf.jar', 3],
    ]);
    expect(() => checkFilePaths(sql, TEAM_A)).toThrow(
      /^SET 'state.checkpoints.dir' = 'file:\/\/\/etc\/ck' \(line 1\) names a file on the cluster's machine outside/,
    );
  });
});
