/**
 * Table and column lineage of a Flink SQL script: which tables a script declares, reads and writes, the
 * external data behind them, and for every INSERT which source columns each sink column derives from.
 *
 * This is a forgiving recursive-descent reading of the parts of Flink SQL that carry lineage, over the
 * tokens of tokens.ts and the tables of table-ddl.ts, not a parser of the full grammar: dt-sql-parser
 * is too slow for scripts of thousands of lines and rejects newer syntax. Whatever cannot be understood
 * is skipped and reported in `notes`; the analysis never throws.
 *
 * lineage/: statements.ts (CREATE TABLE/VIEW and INSERT: tables and writes), queries.ts (column
 * lineage of SELECT, VALUES, set operations, CTEs), from.ts (joins, table functions, windows,
 * MATCH_RECOGNIZE), expressions.ts (column references), cursor.ts (token helpers), analyzer.ts (graph
 * assembly: tables, writes, notes), resources.ts (the external data behind a table), relations.ts,
 * keywords.ts, types.ts (the public shape, re-exported here).
 */
import { splitStatements, statementSetInserts, type SqlStatement } from './statements.ts';
import { Analyzer } from './lineage/analyzer.ts';
import { errorText } from './lineage/relations.ts';
import { StatementReader } from './lineage/statements.ts';
import type { ResolveValue, ScriptLineage } from './lineage/types.ts';

export type {
  ColumnOrigin,
  LineageTable,
  LineageWrite,
  ResolveValue,
  ScriptLineage,
} from './lineage/types.ts';

/** `resolve` reads the WITH options: tables then meet across scripts by their resolved data. */
export function analyzeLineage(script: string, resolve?: ResolveValue): ScriptLineage {
  const analyzer = new Analyzer(resolve);
  let statements: SqlStatement[] = [];
  try {
    statements = splitStatements(typeof script === 'string' ? script : '');
  } catch (e) {
    analyzer.note(1, `the script could not be split into statements (${errorText(e)})`);
  }
  for (const st of statements) {
    if (st.kind === 'statement_set') {
      const inner = statementSetInserts(st);
      if (!inner.length) analyzer.note(st.line, 'could not read the INSERTs of this statement set');
      for (const ins of inner) run(analyzer, ins);
    } else run(analyzer, st);
  }
  return analyzer.result();
}

function run(analyzer: Analyzer, st: SqlStatement): void {
  try {
    new StatementReader(analyzer, st).run();
  } catch (e) {
    analyzer.note(st.line, `could not analyse this statement (${errorText(e)})`);
  }
}
