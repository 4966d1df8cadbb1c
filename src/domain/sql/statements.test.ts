import { describe, expect, it } from 'vitest';
import { classify, parseSet, setStatement, splitStatements, stripComments } from './statements.ts';
import { locateInStatementSet, planSqlDeployment, statementSetSql } from './deployment-plan.ts';

describe('splitStatements', () => {
  it('splits at top-level semicolons and keeps line numbers', () => {
    const s = splitStatements(
      "SET 'a' = 'b';\n\nCREATE TABLE t (x INT) WITH ('connector' = 'datagen');\nINSERT INTO s SELECT * FROM t;",
    );
    expect(s.map((x) => [x.kind, x.line])).toEqual([
      ['set', 1],
      ['ddl', 3],
      ['insert', 4],
    ]);
  });

  it('ignores semicolons in strings, quoted identifiers and comments', () => {
    const s = splitStatements(
      "-- a comment; with semicolon\nCREATE TABLE `we;ird` (x STRING COMMENT 'a;b''c') /* ; */ WITH ('k'='v');\nINSERT INTO x SELECT 'x;y';",
    );
    expect(s).toHaveLength(2);
    expect(s[0]!.text).toContain("'a;b''c'");
    expect(s[0]!.line).toBe(2);
    expect(s[1]!.text).toBe("INSERT INTO x SELECT 'x;y'");
  });

  it('keeps EXECUTE STATEMENT SET BEGIN ... END as one statement', () => {
    const s = splitStatements(
      'EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\nSELECT 1;',
    );
    expect(s.map((x) => x.kind)).toEqual(['statement_set', 'query']);
  });

  it('handles multi-line strings and a last statement without semicolon', () => {
    const s = splitStatements("INSERT INTO a SELECT 'line1\nline2;'\n;\nINSERT INTO b SELECT 1");
    expect(s).toHaveLength(2);
    expect(s[1]!.line).toBe(4);
  });

  it('classifies statements', () => {
    expect(classify('create catalog c with ()')).toBe('ddl');
    expect(classify('/* x */ insert overwrite t select 1')).toBe('insert');
    expect(classify('WITH a AS (SELECT 1) SELECT * FROM a')).toBe('query');
    expect(classify('BEGIN STATEMENT SET')).toBe('begin_statement_set');
    expect(classify('EXPLAIN SELECT 1')).toBe('other');
  });

  it('parses SET key/value with escaped quotes', () => {
    expect(parseSet("SET 'pipeline.name' = 'it''s'")).toEqual(['pipeline.name', "it's"]);
    expect(parseSet('SET')).toBeUndefined();
  });
});

describe('planSqlDeployment', () => {
  const script = `
SET 'parallelism.default' = '2';
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE a (id BIGINT) WITH ('connector' = 'blackhole');
EXECUTE STATEMENT SET BEGIN
  INSERT INTO a SELECT id FROM src;
END;
INSERT INTO a SELECT id + 1 FROM src;`;

  it('orders options, setup statements and one statement set', () => {
    const plan = planSqlDeployment(script, { 'pipeline.name': 'j', 'parallelism.default': '1' });
    expect(plan.options).toEqual({ 'pipeline.name': 'j', 'parallelism.default': '2' });
    expect(plan.setup.map((s) => s.line)).toEqual([3, 4]);
    expect(plan.inserts.map((s) => s.line)).toEqual([6, 8]);
    expect(statementSetSql(plan.inserts)).toBe(
      'EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT id FROM src;\nINSERT INTO a SELECT id + 1 FROM src;\nEND',
    );
  });

  it('refuses a script without INSERT, with a query, or with RESET, naming the line', () => {
    expect(() => planSqlDeployment('CREATE TABLE t (x INT)')).toThrow(/no INSERT statement/);
    expect(() => planSqlDeployment('INSERT INTO a SELECT 1;\nSELECT 1')).toThrow(
      /line 2: a job script cannot contain a query/,
    );
    expect(() => planSqlDeployment("RESET 'x';INSERT INTO a SELECT 1")).toThrow(/line 1: RESET/);
  });
});

describe('setStatement', () => {
  it('quotes key and value so parseSet reads them back', () => {
    const sql = setStatement('pipeline.name', "it's");
    expect(sql).toBe("SET 'pipeline.name' = 'it''s'");
    expect(parseSet(sql)).toEqual(['pipeline.name', "it's"]);
  });
});

describe('locateInStatementSet', () => {
  it("names the INSERT of a statement set that Flink's message points into, with positions made its own", () => {
    const script = `CREATE TABLE t (x INT) WITH ('connector' = 'datagen');
INSERT INTO a SELECT x FROM t;
INSERT INTO b
SELECT nope FROM t;`;
    const inserts = planSqlDeployment(script).inserts;
    // The set is: EXECUTE STATEMENT SET / BEGIN / INSERT INTO a ... / INSERT INTO b / SELECT nope ... / END
    expect(statementSetSql(inserts).split('\n')[4]).toBe('SELECT nope FROM t;');
    const found = locateInStatementSet(
      inserts,
      "From line 5, column 8 to line 5, column 11: Column 'nope' not found in any table",
    );
    expect(found?.statement.line).toBe(3);
    expect(found?.message).toBe(
      "From line 2, column 8 to line 2, column 11: Column 'nope' not found in any table",
    );
    expect(locateInStatementSet(inserts, 'no position here')).toBeNull();
  });
});

describe('one tokenizer under the splitter', () => {
  it("ends an EXECUTE STATEMENT SET block at its END, not at a CASE's END", () => {
    const script = `EXECUTE STATEMENT SET BEGIN
  INSERT INTO a SELECT CASE WHEN x > 1 THEN 'big' ELSE 'small' END FROM s;
  INSERT INTO b SELECT x FROM s;
END;
SELECT 1;`;
    expect(splitStatements(script).map((s) => [s.kind, s.line])).toEqual([
      ['statement_set', 1],
      ['query', 5],
    ]);
  });

  it('reads SET values that hold comment markers, and comments after them', () => {
    expect(parseSet("SET 'pipeline.name' = 'a--b /* c */'")).toEqual(['pipeline.name', 'a--b /* c */']);
    expect(parseSet("SET 'k' = 'v' -- why")).toEqual(['k', 'v']);
    expect(parseSet("SET 'k' = 'v")).toBeUndefined(); // the value's quote is not closed
    expect(parseSet("SET 'k' = 'v' 'w'")).toBeUndefined();
  });

  it('strips comments but not comment markers inside strings', () => {
    expect(stripComments("SELECT '--x', `/*y*/` -- gone\nFROM t /* gone */")).toBe(
      "SELECT '--x', `/*y*/`  \nFROM t  ",
    );
  });
});
