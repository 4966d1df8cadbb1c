import fs from 'node:fs';

/** The version of Sluice, as package.json says: the CLI and the server (`GET /health`) report it. */
export const SLUICE_VERSION = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
