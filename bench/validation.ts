/**
 * `npm run bench validation`: the syntax check as you type, over the syntax corpus (test/corpus),
 * the grammar alone beside the combined check (the grammar judged by Flink's own SQL parser):
 * false errors on valid scripts, missed errors on broken ones, ms per statement (p50/p99), the
 * first check after start (cold JVM) and a 5,000-line script. Prints, asserts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/application/config.ts';
import { Platform } from '../src/composition/platform.ts';
import { provisionFlink } from '../src/adapters/flink/provisioning/maven-provisioner.ts';
import { ensureSqlParserHelper } from '../src/adapters/flink/sql-parser/sql-parser-build.ts';
import { splitStatements } from '../src/domain/sql/statements.ts';
import { checkSyntax, warmUpSyntaxChecker, type SqlProblem } from '../src/domain/sql/syntax.ts';
import { brokenScripts, semanticScripts, validScripts } from '../test/corpus/corpus.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))]!;
};
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const errorsOf = (ps: SqlProblem[]) => ps.filter((p) => p.severity === 'error');

export async function validation(scratch: string): Promise<void> {
  console.log('\n== syntax validation: grammar alone vs. grammar judged by Flink 1.20 parser (corpus) ==');
  const engine = await provisionFlink({ enginesDir: path.join(scratch, 'engines'), version: '1.20' });
  // A fresh build of the helper, as on a first install (javac, the planner jar, a class-data archive).
  fs.rmSync(path.join(engine.home, 'sluice-sql-parser'), { recursive: true, force: true });
  const b0 = performance.now();
  await ensureSqlParserHelper({ engineHome: engine.home, sluiceHome: scratch });
  console.log(`building the parser helper (once per engine, at install): ${ms(performance.now() - b0)}`);

  const home = path.join(scratch, 'validation-home');
  const platform = await Platform.open(
    { ...loadConfig({}), home, autoStart: false },
    pino({ level: 'silent' }),
  );
  try {
    await platform.engines.register(engine.home);
    warmUpSyntaxChecker();
    const valid = validScripts();
    const broken = brokenScripts();
    const semantic = semanticScripts();

    // The first check after start: the JVM starts on demand (the server warms it at boot instead).
    const c0 = performance.now();
    await platform.sql.validate(valid[0]!.sql);
    const parser = await platform.sqlParsers.process('1.20');
    console.log(
      `first check after start, cold JVM: ${ms(performance.now() - c0)} (JVM start to ready ${ms(parser.lastStartupMs ?? NaN)})`,
    );

    const statements = valid.reduce((n, s) => n + splitStatements(s.sql).length, 0);
    console.log(
      `corpus: ${valid.length} valid scripts (${statements} statements), ${broken.length} with a syntax mistake, ${semantic.length} with a mistake only the planner finds`,
    );
    const row = (label: string, check: (sql: string) => Promise<SqlProblem[]>) => async () => {
      let falseScripts = 0;
      let falseErrors = 0;
      for (const s of valid) {
        const e = errorsOf(await check(s.sql));
        if (e.length) falseScripts++;
        falseErrors += e.length;
      }
      let missed = 0;
      let misplaced = 0;
      for (const s of broken) {
        const e = errorsOf(await check(s.sql));
        if (!e.some((p) => p.line === s.expect.line)) missed++;
        else if (!e.some((p) => p.line === s.expect.line && p.column === s.expect.column)) misplaced++;
      }
      let semanticFlagged = 0;
      for (const s of semantic) if (errorsOf(await check(s.sql)).length) semanticFlagged++;
      console.log(
        `${label.padEnd(22)} false errors: ${falseScripts}/${valid.length} valid scripts (${falseErrors} error markers); missed errors: ${missed}/${broken.length} broken scripts (${misplaced} more at another column); planner-only mistakes flagged: ${semanticFlagged}/${semantic.length}`,
      );
    };
    await row('grammar alone:', async (sql) => checkSyntax(sql).problems)();
    await row('grammar + Flink parser:', async (sql) => (await platform.sql.validate(sql)).problems)();

    // Time per statement: each statement on its own, a fresh text each time (both sides cache).
    const all = [...valid, ...broken].flatMap((s) => splitStatements(s.sql).map((x) => x.text));
    const grammar: number[] = [];
    const flink: number[] = [];
    const combined: number[] = [];
    for (let round = 0; round < 3; round++)
      for (const [i, text] of all.entries()) {
        const fresh = `${text}\n-- ${round}-${i}`;
        let t0 = performance.now();
        checkSyntax(fresh);
        grammar.push(performance.now() - t0);
        t0 = performance.now();
        await parser.parse([fresh]);
        flink.push(performance.now() - t0);
        const again = `${text}\n-- again ${round}-${i}`;
        t0 = performance.now();
        await platform.sql.validate(again);
        combined.push(performance.now() - t0);
      }
    console.log(
      `per statement (${all.length} statements x 3): grammar alone p50 ${ms(pct(grammar, 0.5))}, p99 ${ms(pct(grammar, 0.99))}; Flink's parser alone (one request each) p50 ${ms(pct(flink, 0.5))}, p99 ${ms(pct(flink, 0.99))}; combined check p50 ${ms(pct(combined, 0.5))}, p99 ${ms(pct(combined, 0.99))}`,
    );

    // A long script: every statement goes to Flink's parser in one request (uncached, then cached).
    const big = Array.from({ length: 120 }, (_, i) =>
      valid[i % valid.length]!.sql.replace(/\b(CREATE TABLE) (\w+)/g, `$1 $2_${i}`).replace(
        /\bSELECT\b/g,
        `SELECT /* copy ${i} */`,
      ),
    ).join('\n');
    const lines = big.split('\n').length;
    const n = splitStatements(big).length;
    let t0 = performance.now();
    checkSyntax(big);
    const g = performance.now() - t0;
    t0 = performance.now();
    await platform.sql.validate(big);
    const cold = performance.now() - t0;
    t0 = performance.now();
    await platform.sql.validate(`${big}\n-- edited`);
    const warm = performance.now() - t0;
    console.log(
      `${lines} lines, ${n} statements: grammar alone ${ms(g)}; combined ${ms(cold)} with every statement new to the parser, ${ms(warm)} after a one-line edit (verdicts cached by statement)`,
    );
  } finally {
    await platform.close();
  }
}
