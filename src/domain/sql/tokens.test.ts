import { describe, expect, it } from 'vitest';
import { matchBrackets, readName, tokenize } from './tokens.ts';

describe('tokenize', () => {
  it('drops comments and white space, keeps offsets and lines', () => {
    const sql = "SELECT a -- note\n/* a\nblock */ FROM `my t`, 'it''s'";
    const t = tokenize(sql);
    expect(t.map((x) => [x.kind, x.value, x.line])).toEqual([
      ['word', 'SELECT', 0],
      ['word', 'A', 0],
      ['word', 'FROM', 2],
      ['quoted', 'my t', 2],
      ['punct', ',', 2],
      ['string', "it's", 2],
    ]);
    for (const x of t) expect(sql.slice(x.start, x.end)).toBe(x.text);
  });

  it('keeps comment markers that are inside strings and quoted names', () => {
    expect(tokenize('\'a--b\' `c/*d` "e"').map((x) => x.value)).toEqual(['a--b', 'c/*d', 'e']);
  });

  it('reads numbers, two-character operators and Unicode white space', () => {
    const t = tokenize('1.5e-3 <> x::INT\u00a0=>\u2003y');
    expect(t.map((x) => x.text)).toEqual(['1.5e-3', '<>', 'x', '::', 'INT', '=>', 'y']);
  });

  it('marks a string whose closing quote is missing', () => {
    const [, s] = tokenize("SET 'k");
    expect(s).toMatchObject({ kind: 'string', value: 'k', open: true });
    expect(tokenize("'k'")[0]!.open).toBeUndefined();
  });

  it('stops after a limit, for readers that need only the first words', () => {
    expect(tokenize('a b c d e', 2).map((x) => x.text)).toEqual(['a', 'b']);
  });
});

describe('readName and matchBrackets', () => {
  it('reads catalog.db.table names with quoted parts', () => {
    expect(readName(tokenize('`my cat`.db.`t``x` rest'), 0)).toEqual({ name: 'my cat.db.t`x', next: 5 });
  });

  it('matches brackets; an unclosed one closes at the end', () => {
    const t = tokenize('f(a[1], (b)) (c');
    const m = matchBrackets(t);
    expect(m[1]).toBe(10); // f( ... )
    expect(m[3]).toBe(5); // [1]
    expect(m[10]).toBe(1);
    expect(m[11]).toBe(t.length); // (c
  });
});
