import { join } from 'node:path';
import { openDatabase, runMigrations } from '@memelab/adapters';
import { infrastructureConfigShape } from '@memelab/pipeline';
import { loadConfig } from '@memelab/platform';
import type { Command } from 'commander';
import { z } from 'zod';

const migrateConfigSchema = z.object({
  DATA_DIR: infrastructureConfigShape.DATA_DIR,
  DATABASE_URL: infrastructureConfigShape.DATABASE_URL,
});

/** `memelab migrate`: applies pending database migrations and exits (a Kubernetes Job or init container). */
export const registerMigrateCommand = (program: Command): void => {
  program
    .command('migrate')
    .description('Apply pending database migrations (DATABASE_URL, or PGlite under DATA_DIR) and exit.')
    .action(async () => {
      const config = loadConfig(migrateConfigSchema);
      const db = await openDatabase({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATABASE_URL === undefined ? join(config.DATA_DIR, 'db') : undefined,
      });
      try {
        const applied = await runMigrations(db, { log: (message: string) => process.stdout.write(`${message}\n`) });
        process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied ${applied.join(', ')}\n`);
      } finally {
        await db.close();
      }
    });
};
