import { describe } from 'vitest';
import { describeMigrationContract } from './testing/migration-contract.ts';
import { openTestPgliteDatabase } from './testing/pglite-test-database.ts';

describe('runMigrations on PGlite', () => {
  describeMigrationContract(() => openTestPgliteDatabase());
});
