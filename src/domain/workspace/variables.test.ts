import { describe, expect, it } from 'vitest';
import { findReferences, MASK, maskSecrets, referenceSecrets, substitute } from './variables.ts';

describe('variables', () => {
  const sql = "CREATE TABLE t (id INT) WITH (\n  'url' = '${jdbc_url}',\n  'password' = '${db.password}'\n);";

  it('finds every reference with its line and column', () => {
    expect(findReferences(sql)).toEqual([
      { name: 'jdbc_url', line: 2, column: 12 },
      { name: 'db.password', line: 3, column: 17 },
    ]);
  });

  it('substitutes known names and reports unknown ones where they are', () => {
    const r = substitute(sql, new Map([['jdbc_url', 'jdbc:postgresql://h/db']]));
    expect(r.text).toContain("'url' = 'jdbc:postgresql://h/db'");
    expect(r.text).toContain('${db.password}');
    expect(r.used).toEqual(['jdbc_url']);
    expect(r.missing).toEqual([{ name: 'db.password', line: 3, column: 17 }]);
  });

  it('does not substitute a value into itself recursively', () => {
    expect(substitute('${a}', new Map([['a', '${a}']])).text).toBe('${a}');
  });

  it('masks every secret, the longer first', () => {
    expect(maskSecrets('pw=hunter22 and hunter2', ['hunter2', 'hunter22'])).toBe(`pw=${MASK} and ${MASK}`);
    // Values too short to be told apart from ordinary text are not masked.
    expect(maskSecrets('a b', ['a'])).toBe('a b');
  });

  it('turns a pasted secret back into a reference', () => {
    expect(referenceSecrets("'password' = 'hunter22'", [{ name: 'pw', value: 'hunter22' }])).toEqual({
      text: "'password' = '${pw}'",
      replaced: ['pw'],
    });
  });
});
