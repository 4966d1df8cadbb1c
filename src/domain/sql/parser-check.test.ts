import { describe, expect, it } from 'vitest';
import {
  cleanFlinkMessage,
  expectedTokens,
  judgeWithParser,
  maskReferences,
  type ParseVerdict,
} from './parser-check.ts';
import { splitStatements } from './statements.ts';
import { checkSyntax } from './syntax.ts';

/** Verdicts as Flink 1.20.3's parser gave them for these statements (recorded from the real helper). */
const ok: ParseVerdict = { ok: true };
const judge = (script: string, verdicts: ParseVerdict[]) => {
  const statements = splitStatements(script);
  return judgeWithParser(statements, checkSyntax(script).problems, verdicts);
};

describe('the combined check: grammar errors judged by Flink’s parser', () => {
  it('drops the grammar’s errors in a statement Flink accepts, and reports the first as a gap', () => {
    const script = `SET 'a' = 'b';\nSELECT user_id, LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) FROM orders;`;
    expect(checkSyntax(script).problems.length).toBeGreaterThan(0);
    const r = judge(script, [ok, ok]);
    expect(r.problems).toEqual([]);
    expect(r.gaps).toEqual([
      {
        kind: 'query',
        line: 2,
        column: 69,
        grammarMessage: expect.stringMatching(/^'FROM' is not valid at this position/),
        statement: 'SELECT user_id, LAG(amount) OVER (PARTITION BY user_id ORDER BY ts) FROM orders',
      },
    ]);
  });

  it('drops the grammar’s “not checked as you type” note where Flink checked the statement', () => {
    expect(judge('SHOW JOBS;', [ok])).toEqual({ problems: [], gaps: [] });
  });

  it('keeps the grammar’s plain words where Flink rejects at the same place, with Flink’s message as detail', () => {
    const r = judge(`SET 'a' = 'b';\n\n  INSERT INTO s SELEC id FROM orders;`, [
      ok,
      {
        ok: false,
        kind: 'parse',
        message: 'Non-query expression encountered in illegal context',
        line: 1,
        column: 15,
        endLine: 1,
        endColumn: 19,
      },
    ]);
    expect(r.problems).toEqual([
      {
        severity: 'error',
        source: 'parser',
        line: 3,
        column: 17,
        endLine: 3,
        endColumn: 22,
        text: 'SELEC',
        message: expect.stringMatching(/^unexpected 'SELEC' .*check the spelling/),
        detail: 'Non-query expression encountered in illegal context',
      },
    ]);
  });

  it('reports what the grammar misses at Flink’s position, in plain words', () => {
    const script = `SELECT 1;\nEXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n`;
    expect(checkSyntax(script).problems).toEqual([]);
    const r = judge(script, [
      ok,
      {
        ok: false,
        kind: 'parse',
        eof: true,
        message:
          'Encountered "<EOF>" at line 3, column 25.\nWas expecting one of:\n    "END" ...\n    "INSERT" ...\n    "UPSERT" ...\n    ',
        line: 3,
        column: 25,
        endLine: 3,
        endColumn: 25,
      },
    ]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        source: 'parser',
        line: 4,
        column: 26,
        text: '',
        message:
          'the statement set is not closed: add END; after its last INSERT (EXECUTE STATEMENT SET BEGIN ... END;)',
        detail: 'Encountered "<EOF>" at line 3, column 25. Was expecting one of: END, INSERT, UPSERT',
      }),
    ]);
  });

  it('says a reserved word must be quoted, marking the word after the dot', () => {
    const r = judge('SELECT d.year FROM t AS d', [
      {
        ok: false,
        kind: 'parse',
        message:
          'Encountered ". year" at line 1, column 9.\nWas expecting one of:\n    <EOF> \n    "AS" ...\n    <IDENTIFIER> ...\n',
        line: 1,
        column: 9,
        endLine: 1,
        endColumn: 9,
      },
    ]);
    expect(r.problems[0]).toMatchObject({
      line: 1,
      column: 10,
      endColumn: 14,
      text: 'year',
      message: "'year' is a reserved word in Flink SQL: quote it as `year` to use it as a name",
    });
  });

  it('says double quotes do not make a string, marking the quote', () => {
    const r = judgeWithParser(
      splitStatements(`SELECT a FROM t WHERE city = "Berlin"`),
      [],
      [
        {
          ok: false,
          kind: 'parse',
          message:
            'Encountered "= \\"" at line 1, column 28.\nWas expecting one of:\n    <EOF> \n    "AND" ...\n',
          line: 1,
          column: 28,
          endLine: 1,
          endColumn: 29,
        },
      ],
    );
    expect(r.problems[0]).toMatchObject({
      line: 1,
      column: 30,
      endColumn: 31,
      text: '"',
      message: expect.stringMatching(
        /^double quotes do not make a string in Flink SQL: write strings in single quotes/,
      ),
    });
  });

  it('lists a short expectation in words and leaves a long one out', () => {
    const r = judge('CREATE TABLE t (a INT b STRING)', [
      {
        ok: false,
        kind: 'parse',
        message: 'Encountered "b" at line 1, column 23.\nWas expecting one of:\n    ")" ...\n    "," ...\n',
        line: 1,
        column: 23,
        endLine: 1,
        endColumn: 23,
      },
    ]);
    // The grammar said it at the same place: its wording stands.
    expect(r.problems[0]).toMatchObject({
      column: 23,
      text: 'b',
      message: expect.stringMatching(/^unexpected 'b'/),
    });
    const alone = judgeWithParser(
      splitStatements('SELECT 1 2'),
      [],
      [
        {
          ok: false,
          kind: 'parse',
          message: 'Encountered "2" at line 1, column 10.\nWas expecting one of:\n    ")" ...\n    "," ...\n',
          line: 1,
          column: 10,
          endLine: 1,
          endColumn: 10,
        },
      ],
    );
    expect(alone.problems[0]!.message).toBe(
      "unexpected '2' (Flink expected ')' or ',' here): check the spelling of keywords and names before it",
    );
  });

  it('places a rejection without a position on the statement’s first line', () => {
    const r = judgeWithParser(
      splitStatements('SELECT 1;\n  SELECT 2 ; '),
      [],
      [ok, { ok: false, kind: 'other', message: 'ValidationException: something Flink did not like' }],
    );
    expect(r.problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 3,
        endLine: 2,
        endColumn: 11,
        message: 'something Flink did not like',
      }),
    ]);
  });

  it('keeps the grammar’s findings for a statement Flink gave no verdict on, and other sources always', () => {
    const grammar = checkSyntax('SELEC 1').problems;
    const platform = { ...grammar[0]!, source: 'platform' as const, message: 'a job rule' };
    expect(judgeWithParser(splitStatements('SELEC 1'), [...grammar, platform], []).problems).toEqual([
      platform,
      ...grammar,
    ]);
  });

  it('masks ${variable} references with a name of the same length', () => {
    expect(maskReferences("SELECT ${col} FROM t WHERE s = '${x}'")).toBe(
      "SELECT v_____ FROM t WHERE s = 'v___'",
    );
  });

  it('reads Flink’s message: class names off, tokens of the expectation list', () => {
    expect(
      cleanFlinkMessage('org.apache.flink.table.api.SqlParserException: SQL parse failed. Encountered "x"'),
    ).toBe('Encountered "x"');
    expect(
      expectedTokens(
        'Encountered "a" at line 1, column 1.\nWas expecting one of:\n    "END" ...\n    <IDENTIFIER> ...\n    "\\"" ...\n',
      ),
    ).toEqual(['END', '<IDENTIFIER>', '"']);
  });
});
