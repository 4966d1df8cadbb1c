import { describe, expect, it } from 'vitest';
import { functionClassProblems, functionDeclarations } from './functions.ts';

const udfs = { ref: { name: 'udfs', version: 2 }, classes: ['dev.sluice.testudfs.Shout'] };
const more = { ref: { name: 'more', version: 1 }, classes: ['com.example.Mask'] };

describe('function declarations', () => {
  it('reads every form Flink accepts, with the place of the class', () => {
    const sql = `SET 'a' = 'b';
CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout';
create temporary system function if not exists Mask as 'com.example.Mask' language java;
CREATE OR REPLACE FUNCTION db.\`f\` AS
  'com.example.F' USING JAR '/x/a.jar', JAR 'hdfs:///b.jar';
CREATE FUNCTION py AS 'pkg.fn' LANGUAGE PYTHON;
CREATE TABLE t (a INT) WITH ('connector' = 'datagen');`;
    expect(functionDeclarations(sql)).toEqual([
      {
        name: 'shout',
        className: 'dev.sluice.testudfs.Shout',
        language: 'JAVA',
        jars: [],
        line: 2,
        column: 36,
        endColumn: 63,
      },
      {
        name: 'Mask',
        className: 'com.example.Mask',
        language: 'JAVA',
        jars: [],
        line: 3,
        column: 56,
        endColumn: 74,
      },
      {
        name: 'db.f',
        className: 'com.example.F',
        language: 'JAVA',
        jars: ['/x/a.jar', 'hdfs:///b.jar'],
        line: 5,
        column: 3,
        endColumn: 18,
      },
      {
        name: 'py',
        className: 'pkg.fn',
        language: 'PYTHON',
        jars: [],
        line: 6,
        column: 23,
        endColumn: 31,
      },
    ]);
  });
});

describe("a job's function classes come from its artifacts", () => {
  it('accepts classes found in any of its artifacts, USING JAR and Python functions', () => {
    const sql = `CREATE TEMPORARY FUNCTION shout AS 'dev.sluice.testudfs.Shout';
CREATE FUNCTION mask AS 'com.example.Mask';
CREATE FUNCTION other AS 'com.example.Other' USING JAR '/jars/other.jar';
CREATE FUNCTION py AS 'pkg.fn' LANGUAGE PYTHON;`;
    expect(functionClassProblems(sql, [udfs, more])).toEqual([]);
  });

  it('refuses a class in none of them, at its place, naming the class and the artifacts looked in', () => {
    const sql = `CREATE TABLE t (s STRING) WITH ('connector' = 'datagen');
CREATE TEMPORARY FUNCTION whisper AS 'dev.sluice.testudfs.Whisper';`;
    expect(functionClassProblems(sql, [udfs, more])).toEqual([
      {
        severity: 'error',
        source: 'platform',
        line: 2,
        column: 38,
        endLine: 2,
        endColumn: 67,
        text: "'dev.sluice.testudfs.Whisper'",
        message:
          "function whisper: class dev.sluice.testudfs.Whisper is in none of the job's artifacts (udfs@2, more@1): add the artifact that holds it to the job (`--artifact name[@version]`), or name its jar with USING JAR",
      },
    ]);
  });

  it('says so when the job lists no artifact', () => {
    const [p] = functionClassProblems("CREATE FUNCTION shout AS 'dev.sluice.testudfs.Shout'", []);
    expect(p?.message).toContain(
      "class dev.sluice.testudfs.Shout is in none of the job's artifacts (the job lists no artifact)",
    );
  });

  it("leaves Flink's own classes alone, and only informs where the cluster's libraries are not Sluice's", () => {
    expect(functionClassProblems("CREATE FUNCTION j AS 'org.apache.flink.table.functions.Foo'", [])).toEqual(
      [],
    );
    const [p] = functionClassProblems("CREATE FUNCTION m AS 'com.example.Mask'", [], false);
    expect(p?.severity).toBe('info');
    expect(p?.message).toContain('class com.example.Mask is in none of the job');
  });

  it('compares class names exactly: a class of another package is another class', () => {
    expect(
      functionClassProblems("CREATE FUNCTION s AS 'dev.sluice.other.Shout'", [udfs]).map((p) => p.text),
    ).toEqual(["'dev.sluice.other.Shout'"]);
  });
});
