import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codedOf, invalid, notFound } from './errors.ts';
import { message } from './messages.ts';

/**
 * Every error the server says to people is a message code with parameters, so that the console can
 * say it in the user's language. This reads the source with the TypeScript compiler and its type
 * checker (not a regex) and fails on any `new SluiceError(...)`, `super(...)` of a subclass,
 * `invalid(...)` or `notFound(...)` whose message is a string: a literal, a template, or any
 * expression typed as a string.
 */

interface Uncoded {
  file: string;
  line: number;
  call: string;
  text: string;
}

/**
 * Errors allowed to stay text: the file, a piece of the call, and why. None is left: a text Sluice
 * did not word (Flink's root cause, a system call's error) is a parameter of a code ('flink.cause',
 * 'platform.unexpected'), so that even those reach the console as codes.
 */
const EXCEPTIONS: { file: string; text: string; why: string }[] = [];

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The calls that make an error and the position of their message argument. */
function messageArgument(
  node: ts.Node,
  checker: ts.TypeChecker,
): { call: string; arg?: ts.Expression } | null {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'SluiceError')
    return { call: 'new SluiceError', arg: node.arguments?.[1] };
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    if (node.expression.text === 'invalid') return { call: 'invalid', arg: node.arguments[1] };
    if (node.expression.text === 'notFound') return { call: 'notFound', arg: node.arguments[2] };
  }
  // A subclass hands its message to SluiceError's constructor.
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
    const cls = ts.findAncestor(node, ts.isClassLike);
    if (cls && extendsSluiceError(cls, checker)) return { call: 'super', arg: node.arguments[1] };
  }
  return null;
}

/** Whether a class derives from SluiceError (SluiceError's own `super` is Error's). */
function extendsSluiceError(cls: ts.ClassLikeDeclaration, checker: ts.TypeChecker): boolean {
  const seen = new Set<ts.Type>();
  const own = checker.getTypeAtLocation(cls) as ts.InterfaceType;
  let t: ts.Type | undefined = checker.getBaseTypes(own)[0];
  while (t && !seen.has(t)) {
    seen.add(t);
    if (t.getSymbol()?.getName() === 'SluiceError') return true;
    t = checker.getBaseTypes(t as ts.InterfaceType)[0];
  }
  return false;
}

const stringy = (t: ts.Type): boolean =>
  (t.flags & ts.TypeFlags.StringLike) !== 0 || (t.isUnion() && t.types.some(stringy));

/** Every error-making call in the given files whose message is a string (or is missing). */
function uncodedErrors(files: string[], options: ts.CompilerOptions, root: string): Uncoded[] {
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const found: Uncoded[] = [];
  const wanted = new Set(files.map((f) => path.resolve(f)));
  for (const sf of program.getSourceFiles()) {
    if (!wanted.has(path.resolve(sf.fileName))) continue;
    const visit = (node: ts.Node): void => {
      const m = messageArgument(node, checker);
      if (m) {
        const arg = m.arg;
        const text =
          !arg ||
          ts.isStringLiteralLike(arg) ||
          ts.isTemplateExpression(arg) ||
          stringy(checker.getTypeAtLocation(arg));
        if (text)
          found.push({
            file: path.relative(root, sf.fileName),
            line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
            call: m.call,
            text: node.getText(sf).replace(/\s+/g, ' ').slice(0, 160),
          });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('errors said to people', () => {
  it('render the English they said before codes, and nest in other messages as codes', () => {
    const e = invalid('parallelism', message('job.badParallelism', { value: '0' }));
    expect(e.message).toBe('parallelism: 0 is not a valid parallelism: use a whole number from 1 to 1024');
    expect(e.details).toEqual({ field: 'parallelism' });
    const missing = notFound('catalog', 'pg', message('catalog.notFound', { catalog: 'pg' }));
    expect(missing.message).toBe("catalog 'pg' does not exist: list them with `sluice catalog list`");
    expect(missing.details).toEqual({ catalog: 'pg' });
    expect(codedOf(e)).toBe(e.text);
    // An error Sluice did not word (a system call's) is a parameter, said as it was said.
    expect(codedOf(new Error('EACCES: permission denied'))).toEqual(
      message('platform.unexpected', { detail: 'EACCES: permission denied' }),
    );
  });

  it('finds a message given as text, and passes one given as a code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-coded-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'src/domain/errors.ts'), path.join(dir, 'errors.ts'));
      fs.copyFileSync(path.join(ROOT, 'src/domain/messages.ts'), path.join(dir, 'messages.ts'));
      const file = path.join(dir, 'use.ts');
      fs.writeFileSync(
        file,
        [
          "import { SluiceError, invalid, notFound } from './errors.ts';",
          "import { message } from './messages.ts';",
          'const name = String(Date.now());',
          "const said: string = 'a sentence';",
          "export const a = new SluiceError('conflict', 'a literal');",
          "export const b = new SluiceError('conflict', `a template of ${name}`);",
          "export const c = new SluiceError('conflict', said);",
          "export const d = new SluiceError('conflict', message('job.notFound', { job: name }));",
          "export class Sub extends SluiceError { constructor(m: string) { super('internal', m); } }",
          "export const e = () => invalid('name', message('job.emptyScript'));",
          "export const f = () => notFound('job', name, message('job.notFound', { job: name }));",
        ].join('\n'),
      );
      const options = { ...readConfig().options, noEmit: true };
      const found = uncodedErrors([file], options, dir).map((u) => `${u.line} ${u.call}`);
      expect(found).toEqual(['5 new SluiceError', '6 new SluiceError', '7 new SluiceError', '9 super']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are message codes everywhere in the server, apart from the listed exceptions', () => {
    const config = readConfig();
    const files = config.fileNames.filter(
      (f) => f.includes(`${path.sep}src${path.sep}`) && !f.includes(`${path.sep}web${path.sep}`),
    );
    expect(files.length).toBeGreaterThan(80);
    const found = uncodedErrors(
      files.filter((f) => !/\.test\.tsx?$/.test(f)),
      config.options,
      ROOT,
    );
    const excused = (u: Uncoded) => EXCEPTIONS.some((x) => u.file === x.file && u.text.includes(x.text));
    expect(found.filter((u) => !excused(u)).map((u) => `${u.file}:${u.line} ${u.text}`)).toEqual([]);
    // An exception that no longer matches anything is stale: remove it.
    for (const x of EXCEPTIONS)
      expect(
        found.some((u) => u.file === x.file && u.text.includes(x.text)),
        x.text,
      ).toBe(true);
  });
});

function readConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('tsconfig.json could not be read');
  return parsed;
}
