import { migrateClinic } from '@memelab/clinic';
import { createLogger } from '@memelab/platform';
import type { Command } from 'commander';
import { openClinicDatabase } from '../clinic-database.ts';
import { loadHealthcareConfig } from '../healthcare.config.ts';

/**
 * `healthcare-api migrate`: brings the schema up to date as the schema owner and, with
 * DB_SERVICE_ROLE, grants the service's login role its (narrower) privileges; then exits.
 */
export const registerMigrateCommand = (program: Command): void => {
  program
    .command('migrate')
    .description('Apply database migrations and grant the service role, then exit')
    .action(async () => {
      const config = loadHealthcareConfig();
      const logger = createLogger({ name: 'healthcare-api', tenant: 'healthcare', level: config.LOG_LEVEL });
      const db = await openClinicDatabase(config, logger, { migrate: true });
      try {
        await migrateClinic(db, {
          log: (message) => logger.info(message),
          ...(config.DB_SERVICE_ROLE === undefined ? {} : { serviceRole: config.DB_SERVICE_ROLE }),
          ...(config.DB_SERVICE_PASSWORD === undefined ? {} : { servicePassword: config.DB_SERVICE_PASSWORD }),
        });
        logger.info({ serviceRole: config.DB_SERVICE_ROLE ?? null }, 'migrations done');
      } finally {
        await db.close();
      }
    });
};
