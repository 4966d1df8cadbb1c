import { describe, expect, it } from 'vitest';
import {
  jarChoicesInSpace,
  artifactChoices,
  entryClassAfter,
  hasSqlDiff,
  jarBody,
  joinArgs,
  parseRef,
  refusedField,
  splitArgs,
  versionChanges,
} from './jar-job.ts';

describe('a JAR job in the console', () => {
  it('offers every artifact version, newest first, with its Main-Class', () => {
    const choices = artifactChoices([
      {
        name: 'counter',
        versions: [
          { version: 1, mainClass: 'dev.A' },
          { version: 2, mainClass: null },
        ],
      },
      { name: 'udfs', versions: [{ version: 1, mainClass: null }] },
    ]);
    expect(choices.map((c) => [c.value, c.mainClass])).toEqual([
      ['counter@2', null],
      ['counter@1', 'dev.A'],
      ['udfs@1', null],
    ]);
    expect(parseRef('my@jar@12')).toEqual({ name: 'my@jar', version: 12 });
    expect(parseRef('counter')).toBeNull();
  });

  it("keeps a new job's jar, classpath and target only where its space may name them", () => {
    const lists = {
      artifacts: [
        { name: 'counter', space: 'team-a' },
        { name: 'udfs', space: 'team-b' },
      ],
      targets: [
        { name: 'a-remote', space: 'team-a' },
        { name: 'local-application-1.20', space: null },
      ],
    };
    const chosen = { jar: 'counter@2', classpath: ['udfs@1', 'counter@1'], target: 'a-remote' };
    expect(jarChoicesInSpace(chosen, lists, 'team-a')).toEqual({ ...chosen, classpath: ['counter@1'] });
    expect(jarChoicesInSpace(chosen, lists, 'team-b')).toEqual({
      jar: undefined,
      classpath: ['udfs@1'],
      target: undefined,
    });
    // Every space's target stays; a jar the list does not hold yet is left to the server.
    expect(
      jarChoicesInSpace(
        { jar: 'unlisted@1', classpath: [], target: 'local-application-1.20' },
        lists,
        'team-b',
      ),
    ).toEqual({ jar: 'unlisted@1', classpath: [], target: 'local-application-1.20' });
  });

  it('splits arguments as the CLI does, and writes them back so that they split the same', () => {
    expect(splitArgs(`--after 3 --name "a b" 'c d' e\\ f ""`)).toEqual({
      ok: true,
      args: ['--after', '3', '--name', 'a b', 'c d', 'e f', ''],
    });
    expect(splitArgs('  ')).toEqual({ ok: true, args: [] });
    expect(splitArgs(`--name "a b`)).toEqual({ ok: false, quote: '"' });
    const args = ['--x', 'a b', "it's", '', 'plain'];
    const back = splitArgs(joinArgs(args));
    expect(back).toEqual({ ok: true, args });
  });

  it('builds the JAR fields of the body, refusing a missing jar or an open quote at its field', () => {
    expect(jarBody({ jar: undefined, entryClass: '', argsText: '', classpath: [] })).toEqual({
      ok: false,
      field: 'jar',
    });
    expect(jarBody({ jar: 'c@1', entryClass: '', argsText: "'x", classpath: [] })).toEqual({
      ok: false,
      field: 'args',
      quote: "'",
    });
    // An empty entry class leaves it to the jar's manifest.
    expect(jarBody({ jar: 'c@1', entryClass: '  ', argsText: '--after 3', classpath: ['udfs@1'] })).toEqual({
      ok: true,
      body: { jar: 'c@1', entryClass: null, args: ['--after', '3'], classpath: ['udfs@1'] },
    });
    expect(jarBody({ jar: 'c@1', entryClass: ' dev.A ', argsText: '', classpath: [] })).toMatchObject({
      body: { entryClass: 'dev.A' },
    });
  });

  it("follows the chosen jar's Main-Class unless the user typed another class", () => {
    const a = { value: 'a@1', name: 'a', version: 1, mainClass: 'dev.A' };
    const b = { value: 'b@1', name: 'b', version: 1, mainClass: 'dev.B' };
    const none = { value: 'n@1', name: 'n', version: 1, mainClass: null };
    expect(entryClassAfter('', undefined, a)).toBe('dev.A');
    expect(entryClassAfter('dev.A', a, b)).toBe('dev.B');
    expect(entryClassAfter('dev.A', a, none)).toBe('');
    expect(entryClassAfter('dev.Mine', a, b)).toBe('dev.Mine');
  });

  it('names the form field of an API refusal, and none for a field the form lacks', () => {
    expect(refusedField({ field: 'entryClass' })).toBe('entryClass');
    expect(refusedField({ field: 'jar.version' })).toBe('jar');
    expect(refusedField({ field: 'classpath[0]' })).toBe('classpath');
    expect(refusedField({ field: 'options' })).toBeNull();
    expect(refusedField({})).toBeNull();
    expect(refusedField(undefined)).toBeNull();
  });

  it("shows a JAR job's program fields changing between versions, and no SQL diff", () => {
    const v1 = {
      kind: 'jar',
      jar: { name: 'counter', version: 1 },
      entryClass: 'dev.A',
      args: ['--after', '3'],
      classpath: [],
      parallelism: 1,
      options: {},
    };
    const v2 = {
      ...v1,
      jar: { name: 'counter', version: 2 },
      args: ['--name', 'a b'],
      classpath: [{ name: 'udfs', version: 1 }],
      parallelism: 2,
    };
    expect(versionChanges(v1, v2)).toEqual([
      { field: 'jar', from: 'counter@1', to: 'counter@2' },
      { field: 'args', from: '--after 3', to: "--name 'a b'" },
      { field: 'classpath', from: '-', to: 'udfs@1' },
      { field: 'parallelism', from: '1', to: '2' },
    ]);
    expect(versionChanges(v1, v1)).toEqual([]);
    expect(hasSqlDiff(v1, v2)).toBe(false);
    // A SQL job's other fields, as JSON; its SQL is left to the SQL diff.
    const s1 = { kind: 'sql', sql: 'a', catalogs: [] };
    const s2 = { kind: 'sql', sql: 'b', catalogs: ['c'] };
    expect(versionChanges(s1, s2)).toEqual([{ field: 'catalogs', from: '[]', to: '["c"]' }]);
    expect(hasSqlDiff(s1, s2)).toBe(true);
  });
});
