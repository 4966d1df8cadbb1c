import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, serveApi } from '../../test/support/cli.ts';
import { freePort } from '../../test/support/ports.ts';
import { testPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { buildProgram } from './main.ts';

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
  version: string;
};

function commands(c: Command, prefix = ''): { path: string; command: Command }[] {
  const here = `${prefix}${prefix ? ' ' : ''}${c.name()}`;
  return [{ path: here, command: c }, ...c.commands.flatMap((s) => commands(s, here))];
}

describe('the sluice command tree', () => {
  it('describes every command and every option', () => {
    const all = commands(buildProgram());
    // The tree is the real one: a walk that finds nothing would pass whatever was missing.
    expect(all.length).toBeGreaterThan(40);
    const undescribed = [
      ...all.filter((c) => !c.command.description().trim()).map((c) => `command '${c.path}'`),
      ...all.flatMap((c) =>
        c.command.options.filter((o) => !o.description.trim()).map((o) => `option ${o.flags} of '${c.path}'`),
      ),
    ];
    expect(undescribed).toEqual([]);
  });
});

describe('sluice --version', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    t = await testPlatform();
    ({ app, url } = await serveApi(t.platform));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('prints the CLI version and the version of the server that answers', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runSluice(url, [flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`sluice CLI ${pkg.version}\nsluice server ${pkg.version} at ${url}\n`);
      expect(r.stderr).toBe('');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({
      version: pkg.version,
    });
  });

  it('prints the CLI version when no server answers, and says so', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const r = await runSluice(nowhere, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sluice CLI ${pkg.version}\n`);
    expect(r.stderr).toMatch(new RegExp(`no Sluice server answers at ${nowhere} \\(.+\\)`));
  });

  it('still refuses an unknown command and shows help without one', async () => {
    const unknown = await runSluice(url, ['jbo']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: unknown command 'jbo'");
    const bare = await runSluice(url, []);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('Usage: sluice [options] [command]');
    expect(bare.stderr).toContain('-V, --version');
  });
});
