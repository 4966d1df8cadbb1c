import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOwnerOnly } from '../application/cli-token.ts';

/**
 * The API tokens `sluice login` keeps, one per server: `$XDG_CONFIG_HOME/sluice/credentials.json`
 * (else ~/.config/sluice/...), readable by this user alone.
 */
export interface StoredCredential {
  token: string;
  /** The token's id, to revoke it at logout. */
  id: string;
  user: string;
}

export const credentialsFile = (env: NodeJS.ProcessEnv = process.env) =>
  path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'sluice', 'credentials.json');

/** A server's key in the file: its origin (scheme, host, port), so `/` and paths do not matter. */
const serverKey = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

function readAll(file: string): Record<string, StoredCredential> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, StoredCredential>;
  } catch {
    // None yet, or unreadable: nothing stored.
    return {};
  }
}

export const storedCredential = (url: string, file = credentialsFile()): StoredCredential | undefined =>
  readAll(file)[serverKey(url)];

/** Stores (or with `undefined` forgets) the credential of a server; the file stays 0600, its folder 0700. */
export function storeCredential(
  url: string,
  c: StoredCredential | undefined,
  file = credentialsFile(),
): void {
  const all = readAll(file);
  if (c) all[serverKey(url)] = c;
  else delete all[serverKey(url)];
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeOwnerOnly(file, `${JSON.stringify(all, null, 2)}\n`);
}
