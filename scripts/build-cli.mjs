// Bundles the CLI (src/cli/main.ts and what it imports) into one ESM file, dist/cli/sluice.mjs, with
// the list of its inputs beside it (dist/cli/sluice.inputs) for bin/sluice's freshness check.
// Through tsx every start transformed and loaded ~700 modules (1.2-1.7 s of CPU); the bundle starts in
// about 0.1 s. `node scripts/build-cli.mjs`; quiet unless it fails.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// dist/cli is two folders deep like src/application: version.ts finds package.json as ../../ from both.
const outdir = path.join(root, 'dist/cli');
const bundle = path.join(outdir, 'sluice.mjs');
// What the bundle depends on besides its own sources: the packages (node_modules' own files keep the
// tarballs' dates, the lock files are written at each install), the build's settings and this script.
const ALWAYS = [
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'tsconfig.json',
  'scripts/build-cli.mjs',
];

// A source saved while the build runs must make the result stale: the bundle is dated before its
// sources were read (a second earlier, for file systems with coarse times).
const started = (Date.now() - 1000) / 1000;

/**
 * The platform stays out of the bundle: bin/sluice runs `sluice server` through tsx, and a server
 * asked of the bundle anyway (`sluice -V server`) is loaded through tsx's API.
 */
const serverThroughTsx = {
  name: 'server-through-tsx',
  setup(b) {
    b.onResolve({ filter: /\/commands\/server\.ts$/ }, () => ({ path: 'server', namespace: 'sluice' }));
    b.onLoad({ filter: /.*/, namespace: 'sluice' }, () => ({
      contents: `export const runServer = async (o) => {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(${JSON.stringify(path.join(root, 'src/cli/commands/server.ts'))}, import.meta.url)).runServer(o);
};`,
      resolveDir: root,
    }));
  },
};

const tmp = `${bundle}.${process.pid}.tmp`;
fs.mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: tmp,
  absWorkingDir: root,
  external: ['tsx/esm/api'],
  plugins: [serverThroughTsx],
  // commander is CommonJS: its require() of Node's modules needs a real require in an ES module.
  banner: {
    js: "import { createRequire as sluiceCreateRequire } from 'node:module'; const require = sluiceCreateRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'error',
});

const sources = Object.keys(result.metafile.inputs).filter(
  (p) => !p.includes(':') && !/(^|\/)node_modules\//.test(p),
);
// Native and server-only packages have no place in the CLI: a new import that pulls them in fails here.
const serverOnly = Object.keys(result.metafile.inputs).filter((p) =>
  /(^|\/)node_modules\/(better-sqlite3|fastify|kysely|pg|pino|dt-sql-parser|antlr4ng)\//.test(p),
);
if (serverOnly.length) {
  fs.rmSync(tmp, { force: true });
  console.error(`the CLI imports server-only packages: ${serverOnly.slice(0, 5).join(', ')}`);
  process.exit(1);
}
const inputs = `${bundle.replace(/\.mjs$/, '.inputs')}`;
// An input that is not there (no npm install wrote node_modules' lock) would make the bundle stale forever.
const always = ALWAYS.filter((p) => fs.existsSync(path.join(root, p)));
fs.writeFileSync(`${inputs}.${process.pid}.tmp`, [...always, ...sources].join('\n') + '\n');
fs.utimesSync(tmp, started, started);
// Renamed into place, so that a CLI started meanwhile (e2e tests run many at once) reads a whole file.
fs.renameSync(`${inputs}.${process.pid}.tmp`, inputs);
fs.renameSync(tmp, bundle);
