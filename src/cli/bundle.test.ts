import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.ts';
import { waitFor } from '../../test/support/platform.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

/**
 * bin/sluice runs the CLI from its bundle (dist/cli/sluice.mjs), bundling it again when a source is
 * newer. On a copy of the repository (node_modules linked), so that editing a source here touches no
 * one else's CLI.
 */
describe('the CLI bundle run by bin/sluice', () => {
  let copy: string;
  let nowhere: string;
  const sluice = (args: string[]) =>
    spawnSync(path.join(copy, 'bin/sluice'), args, {
      encoding: 'utf8',
      env: { ...process.env, SLUICE_URL: nowhere, SLUICE_HOME: path.join(copy, 'home') },
    });
  const throughTsx = (args: string[]) =>
    spawnSync(
      'node',
      [
        '--import',
        `file://${ROOT}/node_modules/tsx/dist/loader.mjs`,
        path.join(copy, 'src/cli/main.ts'),
        ...args,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, SLUICE_URL: nowhere, SLUICE_HOME: path.join(copy, 'home') },
      },
    );
  const bundle = () => path.join(copy, 'dist/cli/sluice.mjs');

  beforeAll(async () => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-bundle-'));
    for (const f of ['bin', 'scripts', 'src', 'package.json', 'package-lock.json', 'tsconfig.json'])
      fs.cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true, preserveTimestamps: true });
    fs.rmSync(path.join(copy, 'dist'), { recursive: true, force: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    nowhere = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('is built on the first run, says what tsx would say, and leaves the server out', () => {
    const first = sluice(['--version']);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`sluice CLI ${VERSION}\n`);
    expect(first.stderr).toContain(`no Sluice server answers at ${nowhere}`);
    expect(fs.existsSync(bundle())).toBe(true);
    const inputs = fs.readFileSync(path.join(copy, 'dist/cli/sluice.inputs'), 'utf8').split('\n');
    expect(inputs).toContain('src/cli/main.ts');
    expect(inputs).not.toContain('src/cli/commands/server.ts');
    expect(fs.readFileSync(bundle(), 'utf8')).not.toMatch(/better-sqlite3|fastify|kysely/);

    for (const args of [['--help'], ['job', '--help'], ['job', 'start'], ['bogus'], ['--version']]) {
      const [a, b] = [sluice(args), throughTsx(args)];
      expect({ args, status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({
        args,
        status: b.status,
        stdout: b.stdout,
        stderr: b.stderr,
      });
    }
  });

  it('is used while fresh, and bundled again as soon as one of its sources changes', () => {
    sluice(['--help']);
    const built = fs.statSync(bundle()).mtimeMs;
    expect(sluice(['--help']).status).toBe(0);
    expect(fs.statSync(bundle()).mtimeMs).toBe(built);

    // A source the CLI imports, edited after the bundle was made: never the old text.
    const output = path.join(copy, 'src/cli/main.ts');
    fs.writeFileSync(
      output,
      fs.readFileSync(output, 'utf8').replace('`sluice CLI ${', '`sluice CLI (edited) ${'),
    );
    expect(sluice(['--version']).stdout).toBe(`sluice CLI (edited) ${VERSION}\n`);
    expect(fs.statSync(bundle()).mtimeMs).toBeGreaterThan(built);
  });

  it('runs through tsx, saying so, when it cannot be bundled', () => {
    fs.writeFileSync(path.join(copy, 'scripts/build-cli.mjs'), 'process.exit(1);\n');
    const r = sluice(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`sluice CLI (edited) ${VERSION}\n`);
    expect(r.stderr).toContain('sluice: could not bundle the CLI');
  });
});

/**
 * `sluice server` runs from a bundle of its own (dist/server/sluice.mjs) whose modules find the files
 * beside them (the console's dist/web, the examples, the Java sources) from the bundle's place: on a
 * copy of the repository, moved after the bundle was made.
 */
describe("the server's bundle run by bin/sluice", () => {
  let copy: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-server-bundle-'));
    for (const f of [
      'bin',
      'scripts',
      'src',
      'examples',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
    ])
      fs.cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true, preserveTimestamps: true });
    fs.cpSync(path.join(ROOT, 'dist/web'), path.join(copy, 'dist/web'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  /** Starts `sluice server` of the checkout at `root`, answers what `check` finds, and stops it. */
  async function serve<T>(root: string, check: (url: string, home: string) => Promise<T>): Promise<T> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-server-bundle-home-'));
    const url = `http://127.0.0.1:${await freePort()}`;
    const server = spawn(path.join(root, 'bin/sluice'), ['server'], {
      env: {
        ...process.env,
        SLUICE_HOME: home,
        SLUICE_PORT: url.split(':')[2],
        SLUICE_AUTO_START: 'false',
        SLUICE_PROMETHEUS: 'off',
        SLUICE_ALERTMANAGER: 'off',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    try {
      await waitFor(`the server at ${url} (stderr: ${stderr})`, () =>
        fetch(`${url}/api/v1/health`).then((r) => r.ok),
      );
      expect(stderr).not.toContain('through tsx');
      return await check(url, home);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
      fs.rmSync(home, { recursive: true, force: true });
    }
  }

  it('is built at the first start, and serves the API, the console and the examples from the checkout', async () => {
    await serve(copy, async (url, home) => {
      const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { version: string };
      expect(health.version).toBe(VERSION);
      expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      const examples = spawnSync(path.join(copy, 'bin/sluice'), ['sql', 'examples'], {
        encoding: 'utf8',
        env: { ...process.env, SLUICE_URL: url, SLUICE_HOME: home },
      });
      expect(examples.stderr).toBe('');
      expect(examples.stdout).toContain('kafka');
    });
    const inputs = fs.readFileSync(path.join(copy, 'dist/server/sluice.inputs'), 'utf8').split('\n');
    expect(inputs).toContain('src/cli/commands/server.ts');
    expect(inputs).toContain('src/composition/platform.ts');
  });

  it('still finds them once the checkout is moved', async () => {
    const built = fs.statSync(path.join(copy, 'dist/server/sluice.mjs')).mtimeMs;
    const moved = `${copy}-moved`;
    fs.renameSync(copy, moved);
    try {
      await serve(moved, async (url) => {
        expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      });
      // The same bundle: fresh, not made again.
      expect(fs.statSync(path.join(moved, 'dist/server/sluice.mjs')).mtimeMs).toBe(built);
    } finally {
      fs.renameSync(moved, copy);
    }
  });

  it('runs through tsx, saying so, when it cannot be bundled', () => {
    fs.rmSync(path.join(copy, 'dist/server'), { recursive: true });
    fs.writeFileSync(path.join(copy, 'scripts/build-cli.mjs'), 'process.exit(1);\n');
    const r = spawnSync(path.join(copy, 'bin/sluice'), ['server', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: sluice server');
    expect(r.stderr).toContain('sluice: could not bundle the server');
  });
});
