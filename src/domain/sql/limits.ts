import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { splitStatements } from './statements.ts';

/**
 * How much SQL one script may hold. Checking a script costs about a millisecond per statement (the
 * grammar and Flink's parser), so its statements are counted, not only its characters: 20,000 leaves
 * room for a job with 10,000 SET lines (issue 11) and checks in seconds; a million characters is about
 * 15,000 lines of dense DDL. Documented in the OpenAPI document with each `sql` field.
 */
export const SQL_LIMITS = { characters: 1_000_000, statements: 20_000 } as const;

/** Refuses a script over the limits, naming the field it came in. */
export function checkScriptLimits(sql: string, field = 'sql'): void {
  if (sql.length > SQL_LIMITS.characters)
    throw new SluiceError(
      'invalid_argument',
      message('sql.tooLong', { field, length: sql.length, limit: SQL_LIMITS.characters }),
      { field },
    );
  // A statement needs at least a character and its semicolon: fewer than twice the limit cannot be over it.
  if (sql.length < 2 * SQL_LIMITS.statements) return;
  const count = splitStatements(sql).length;
  if (count > SQL_LIMITS.statements)
    throw new SluiceError(
      'invalid_argument',
      message('sql.tooManyStatements', { field, count, limit: SQL_LIMITS.statements }),
      { field },
    );
}
