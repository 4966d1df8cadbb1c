// Bundles the sluice command into one ESM file with the list of its inputs beside it (for bin/sluice's
// freshness check, scripts/cli-bundle.sh): `node scripts/build-cli.mjs` the client commands
// (src/cli/main.ts without the platform) into dist/cli/sluice.mjs; `node scripts/build-cli.mjs server`
// the whole of it, `sluice server` included, into dist/server/sluice.mjs. Through tsx every start
// transformed and loaded its modules: ~700 for the CLI (1.2-1.7 s of CPU; the bundle starts in about
// 0.1 s), the platform's for the server (5.1 s of CPU to its first answer; the bundle 3.3 s).
// Quiet unless it fails.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const which = process.argv[2] ?? 'cli';
if (which !== 'cli' && which !== 'server') {
  console.error(`build-cli.mjs: '${which}' is neither cli nor server`);
  process.exit(2);
}
// Two folders deep like src/application: version.ts finds package.json as ../../ from both.
const outdir = path.join(root, 'dist', which);
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
 * The CLI leaves the platform out: bin/sluice runs `sluice server` from the server's bundle, and a server
 * asked of the CLI's anyway (`sluice -V server`) is loaded through tsx's API.
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

/**
 * The platform finds files beside its modules (the Java sources it builds, the examples, the console's
 * dist/web) from `import.meta.dirname` and `import.meta.url`: in the bundle each module's own, made from
 * the bundle's place and the module's path relative to it, so a moved checkout still finds them. The
 * entry keeps the bundle's own `import.meta.url`: its is-main check compares it with argv[1].
 */
const modulePlaces = {
  name: 'module-places',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.tsx?$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
      if (args.path === path.join(root, 'src/cli/main.ts') || !text.includes('import.meta.'))
        return { contents: text, loader };
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      return {
        contents: text
          .replaceAll('import.meta.dirname', `sluiceModuleDir(${JSON.stringify(rel)})`)
          .replaceAll('import.meta.url', `sluiceModuleUrl(${JSON.stringify(rel)})`),
        loader,
      };
    });
  },
};

// commander is CommonJS: its require() of Node's modules needs a real require in an ES module.
const requireBanner =
  "import { createRequire as sluiceCreateRequire } from 'node:module'; const require = sluiceCreateRequire(import.meta.url);";
const placesBanner =
  "import { fileURLToPath as sluiceFileURLToPath } from 'node:url'; import { dirname as sluiceDirname } from 'node:path';" +
  ' const sluiceModuleUrl = (rel) => new URL(rel, import.meta.url).href;' +
  ' const sluiceModuleDir = (rel) => sluiceDirname(sluiceFileURLToPath(sluiceModuleUrl(rel)));';
const packages = Object.keys(
  JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies,
);

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
  ...(which === 'cli'
    ? { external: ['tsx/esm/api'], plugins: [serverThroughTsx], banner: { js: requireBanner } }
    : {
        // The server's packages load from node_modules as they are (native ones, workers, their own
        // files), but dt-sql-parser: its ES modules import directories, which only a bundler resolves.
        external: packages.filter((p) => p !== 'dt-sql-parser'),
        plugins: [modulePlaces],
        banner: { js: `${requireBanner} ${placesBanner}` },
      }),
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
if (which === 'cli' && serverOnly.length) {
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
