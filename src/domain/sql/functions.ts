import type { ArtifactRef } from '../artifacts/artifact.ts';
import { splitStatements } from './statements.ts';
import type { SqlProblem } from './syntax.ts';
import { readName, tokenize, type Token } from './tokens.ts';

/** A `CREATE [TEMPORARY] [SYSTEM] FUNCTION name AS 'class' [LANGUAGE l] [USING JAR 'path', ...]` of a script. */
export interface FunctionDeclaration {
  name: string;
  className: string;
  /** JAVA when the statement names none (Flink's default). */
  language: string;
  /** The jars of its USING clause, as written. */
  jars: string[];
  /** Where the class literal is in the script (1-based). */
  line: number;
  column: number;
  endColumn: number;
}

const isWord = (t: Token | undefined, v: string) => t?.kind === 'word' && t.value === v;

/** The function declarations of a script, in order; statements that are not one are skipped. */
export function functionDeclarations(script: string): FunctionDeclaration[] {
  const out: FunctionDeclaration[] = [];
  for (const stmt of splitStatements(script)) {
    if (stmt.kind !== 'ddl') continue;
    const tokens = tokenize(stmt.text);
    let i = 0;
    if (!isWord(tokens[i++], 'CREATE')) continue;
    if (isWord(tokens[i], 'OR') && isWord(tokens[i + 1], 'REPLACE')) i += 2;
    if (isWord(tokens[i], 'TEMPORARY')) i++;
    if (isWord(tokens[i], 'SYSTEM')) i++;
    if (!isWord(tokens[i++], 'FUNCTION')) continue;
    if (isWord(tokens[i], 'IF') && isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS')) i += 3;
    const name = readName(tokens, i);
    if (!name || !isWord(tokens[name.next], 'AS')) continue;
    const cls = tokens[name.next + 1];
    if (cls?.kind !== 'string' || cls.open) continue;
    i = name.next + 2;
    let language = 'JAVA';
    if (isWord(tokens[i], 'LANGUAGE') && tokens[i + 1]?.kind === 'word') {
      language = tokens[i + 1]!.value;
      i += 2;
    }
    const jars: string[] = [];
    if (isWord(tokens[i], 'USING'))
      for (i++; isWord(tokens[i], 'JAR') && tokens[i + 1]?.kind === 'string'; i += 3) {
        jars.push(tokens[i + 1]!.value);
        if (tokens[i + 2]?.text !== ',') break;
      }
    // Positions of the class literal in the script: tokens count lines from the statement's start.
    const before = stmt.text.lastIndexOf('\n', cls.start - 1);
    const column = cls.line === 0 ? stmt.column + cls.start : cls.start - before;
    out.push({
      name: name.name,
      className: cls.value,
      language,
      jars,
      line: stmt.line + cls.line,
      column,
      endColumn: column + cls.text.length,
    });
  }
  return out;
}

/** A job's artifact with the function classes the scanner found in it. */
export interface ArtifactClasses {
  ref: ArtifactRef;
  classes: readonly string[];
}

/**
 * A job's functions come from its artifacts: a Java function declared without USING JAR must name a
 * user-defined function class of one of them, or the job would fail in Flink (at planning, or in a
 * TaskManager) for want of a jar that is not on the cluster for this job. Flink's own classes are on
 * every cluster. Only where Sluice assembled the cluster's libraries (`clusterLibrariesKnown`) is
 * anything else an error; a registered cluster's `lib/` may hold the class, so there it is 'info'
 * and Flink judges.
 */
export function functionClassProblems(
  script: string,
  artifacts: readonly ArtifactClasses[],
  clusterLibrariesKnown = true,
): SqlProblem[] {
  const looked = artifacts.length
    ? artifacts.map((a) => `${a.ref.name}@${a.ref.version}`).join(', ')
    : 'the job lists no artifact';
  return functionDeclarations(script)
    .filter((f) => f.language !== 'PYTHON' && f.jars.length === 0)
    .filter((f) => !f.className.startsWith('org.apache.flink.'))
    .filter((f) => !artifacts.some((a) => a.classes.includes(f.className)))
    .map((f) => ({
      severity: clusterLibrariesKnown ? 'error' : 'info',
      source: 'platform',
      line: f.line,
      column: f.column,
      endLine: f.line,
      endColumn: f.endColumn,
      text: `'${f.className}'`,
      message: `function ${f.name}: class ${f.className} is in none of the job's artifacts (${looked}): add the artifact that holds it to the job (\`--artifact name[@version]\`), or name its jar with USING JAR`,
    }));
}
