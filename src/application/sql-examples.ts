import fs from 'node:fs';
import { notFound } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { parseExample, type SqlExample } from '../domain/sql/examples.ts';

const DIR = new URL('../../examples/sql/', import.meta.url);

/** The gallery as shipped with the platform, read from `examples/sql/`. */
export function listExamples(): SqlExample[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseExample(f.replace(/\.sql$/, ''), fs.readFileSync(new URL(f, DIR), 'utf8')))
    .filter((e): e is SqlExample => e !== null);
}

export function getExample(name: string): SqlExample {
  const e = listExamples().find((x) => x.name === name);
  if (!e) throw notFound('example', name, message('sql.exampleNotFound', { example: name }));
  return e;
}
