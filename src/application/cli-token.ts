import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * How a CLI on this machine proves it runs as the OS user of the server: the server writes a fresh
 * random token to `<SLUICE_HOME>/cli-token`, readable by that user alone (0600), and the CLI sends it
 * back in a header. Reading the file is the proof; a web page cannot read it, nor can another local
 * user (root can). The file also names the port, so that the CLI never sends the token to another
 * server, and its content is checked, so that the CLI never sends anything else.
 */
export const CLI_TOKEN_HEADER = 'x-sluice-cli-token';
/** The OS user the CLI names: recorded as an unverified claim when it has no token to prove it. */
export const USER_CLAIM_HEADER = 'x-sluice-user';

const TOKEN = /^[0-9a-f]{64}$/;

export const cliTokenPath = (home: string) => path.join(home, 'cli-token');

/** The home the CLI shares with a server started by the same user, as loadConfig finds it. */
export const cliHome = (env: NodeJS.ProcessEnv = process.env) =>
  path.resolve(env.SLUICE_HOME ?? path.join(os.homedir(), '.sluice'));

export const newCliToken = () => crypto.randomBytes(32).toString('hex');

/** Writes the token for a server listening on `port`: a new file, owner-only, renamed into place. */
export function writeCliToken(home: string, port: number, token: string): void {
  writeOwnerOnly(cliTokenPath(home), `${JSON.stringify({ port, token })}\n`);
}

/** A new file readable by this user alone, renamed into place (readers never see half of it). */
export function writeOwnerOnly(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  // 'wx' creates the file (never follows a link planted there) with the mode set from the start.
  fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** Removes the token file if it is still this server's (a newer server on the same home keeps its own). */
export function removeCliToken(home: string, token: string): void {
  if (readToken(cliTokenPath(home))?.token === token) fs.rmSync(cliTokenPath(home), { force: true });
}

/** The token of the server on `port`, if this user can read one; nothing otherwise. */
export function readCliToken(home: string, port: number): string | undefined {
  const t = readToken(cliTokenPath(home));
  return t && t.port === port ? t.token : undefined;
}

function readToken(file: string): { port: number; token: string } | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { port?: unknown; token?: unknown };
    if (typeof v.port === 'number' && typeof v.token === 'string' && TOKEN.test(v.token))
      return { port: v.port, token: v.token };
  } catch {
    // Absent, unreadable (another user's) or not ours: there is nothing to prove with.
  }
  return undefined;
}

/** Whether a presented token is the server's, in constant time. */
export function tokenMatches(presented: string | string[] | undefined, token: string): boolean {
  if (typeof presented !== 'string' || !TOKEN.test(presented)) return false;
  return crypto.timingSafeEqual(Buffer.from(presented), Buffer.from(token));
}
