import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { Store } from '../../src/adapters/store/store.ts';
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.ts';
import { createDatabase } from './postgres.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;

let counter = 0;

/** A fresh, migrated store of the given dialect: a SQLite file in a temp folder or a new PG database. */
export async function freshStore(dialect: (typeof DIALECTS)[number]): Promise<Store> {
  if (dialect === 'sqlite')
    return Store.open({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-store-')) });
  const url = await createDatabase(inject('postgresAdminUrl'), `sluice_test_${process.pid}_${++counter}`);
  return Store.open({ databaseUrl: url, home: os.tmpdir() });
}

/** Every implementation of the store port: the two databases and the in-memory one of unit tests. */
export const STORES = [...DIALECTS, 'memory'] as const;

/** A fresh store of any kind; the in-memory one has no migrations to run. */
export async function freshAnyStore(kind: (typeof STORES)[number]): Promise<Store | MemoryStore> {
  return kind === 'memory' ? new MemoryStore() : freshStore(kind);
}
