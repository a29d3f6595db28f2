import { afterAll, describe } from 'vitest';
import type { Database } from './database.port.ts';
import { describeMigrationContract } from './testing/migration-contract.ts';
import { openTestPgliteDatabase } from './testing/pglite-test-database.ts';

describe('runMigrations on PGlite', () => {
  // One embedded database for the file, its schema emptied before each test: opening one
  // costs about half a second, and every test of the contract wants an empty schema.
  let shared: Database | undefined;
  afterAll(async () => {
    await shared?.close();
  });
  describeMigrationContract(async () => {
    shared ??= await openTestPgliteDatabase();
    await shared.query('DROP SCHEMA public CASCADE');
    await shared.query('CREATE SCHEMA public');
    const database = shared;
    return new Proxy(database, {
      get(target, property) {
        if (property === 'close') return async () => {};
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
});
