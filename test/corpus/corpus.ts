import fs from 'node:fs';
import path from 'node:path';

/**
 * The syntax corpus: real-world Flink SQL scripts of every feature area, each accepted by Flink
 * 1.20's planner (valid/ and the worked examples), and scripts with one real mistake each (broken/,
 * where `-- expect: <line>:<column> <what>` names where the mistake is). The syntax tests, the
 * planner test and the syntax bench all read it from here.
 */
export interface CorpusScript {
  name: string;
  area: string;
  sql: string;
}

export interface BrokenScript extends CorpusScript {
  expect: { line: number; column: number; message: RegExp };
}

const here = import.meta.dirname;

function read(dir: string): { name: string; sql: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

const header = (sql: string, key: string) => new RegExp(`^-- ${key}: (.*)$`, 'm').exec(sql)?.[1]?.trim();

export function validScripts(): CorpusScript[] {
  const own = read(path.join(here, 'valid')).map((s) => ({ ...s, area: header(s.sql, 'area') ?? '?' }));
  const examples = read(path.join(here, '../../examples/sql')).map((s) => ({
    ...s,
    name: `example ${s.name}`,
    area: `example (${header(s.sql, 'tags') ?? ''})`,
  }));
  return [...own, ...examples];
}

export function brokenScripts(): BrokenScript[] {
  return read(path.join(here, 'broken')).map((s) => {
    const e = /^(\d+):(\d+) (.*)$/.exec(header(s.sql, 'expect') ?? '');
    if (!e)
      throw new Error(`test/corpus/broken/${s.name}.sql has no "-- expect: <line>:<column> <message>" line`);
    return {
      ...s,
      area: header(s.sql, 'area') ?? '?',
      expect: { line: Number(e[1]), column: Number(e[2]), message: new RegExp(e[3]!) },
    };
  });
}

/** Mistakes that parse: only the planner finds them (`-- expect: <planner message>`). */
export function semanticScripts(): (CorpusScript & { expect: RegExp })[] {
  return read(path.join(here, 'semantic')).map((s) => ({
    ...s,
    area: header(s.sql, 'area') ?? '?',
    expect: new RegExp(header(s.sql, 'expect') ?? '.'),
  }));
}
