import { describe, expect, it } from 'vitest';
import {
  findReferences,
  lineageValue,
  MASK,
  maskSecrets,
  referenceSecrets,
  substitute,
  substituteOutsideStrings,
} from './variables.ts';

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

  it('substitutes outside string literals and comments only, for lineage', () => {
    const values = new Map([
      ['db', 'shop'],
      ['base', '/lake'],
    ]);
    expect(
      substituteOutsideStrings(
        "INSERT INTO ${db}.orders -- it's ${db}\nSELECT '${base}', 'it''s ${db}' /* ${db} */ FROM ${db}.raw",
        values,
      ),
    ).toBe(
      "INSERT INTO shop.orders -- it's ${db}\nSELECT '${base}', 'it''s ${db}' /* ${db} */ FROM shop.raw",
    );
    // An unclosed literal runs to the end, as the splitter reads it.
    expect(substituteOutsideStrings("${db} '${db}", values)).toBe("shop '${db}");
  });

  it('reads an option value for lineage: plain variables resolved, a secret kept as its reference', () => {
    const read = lineageValue(new Map([['base', 's3://lake']]), new Set(['vault']));
    expect(read('${base}/orders')).toEqual({ text: 's3://lake/orders', variables: ['base'] });
    expect(read('${vault}/orders/${base}')).toEqual({
      text: '${vault}/orders/s3://lake',
      variables: ['vault', 'base'],
    });
    expect(read('${nowhere}/x')).toEqual({ text: '${nowhere}/x', variables: [] });
    expect(read('plain')).toEqual({ text: 'plain', variables: [] });
  });
});
