import fs from 'node:fs';
import path from 'node:path';
import { writeOwnerOnly } from './cli-token.ts';

/** The programs Sluice configures to call its API: its Prometheus (scrapes) and Alertmanager (webhook). */
export type ServiceCaller = 'prometheus' | 'alertmanager';

/**
 * The file holding the API token of one of them, which its configuration names
 * (`authorization: credentials_file:`): `<home>/tokens/<caller>`, owner-only.
 */
export const serviceTokenFile = (home: string, caller: ServiceCaller) => path.join(home, 'tokens', caller);

/** Writes a token file, owner-only. */
export function writeServiceToken(home: string, caller: ServiceCaller, secret: string): void {
  const file = serviceTokenFile(home, caller);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeOwnerOnly(file, secret);
}
