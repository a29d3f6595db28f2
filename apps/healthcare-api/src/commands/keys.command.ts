import { ApiKeyService, ROLES, type Role } from '@memelab/clinic';
import { createLogger } from '@memelab/platform';
import { type Command, InvalidArgumentError } from 'commander';
import { openClinicDatabase } from '../clinic-database.ts';
import { loadHealthcareConfig } from '../healthcare.config.ts';

const parseRole = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}`);
  return value as Role;
};

const withKeys = async (work: (keys: ApiKeyService) => Promise<void>): Promise<void> => {
  const config = loadHealthcareConfig();
  const logger = createLogger({
    name: 'healthcare-api',
    tenant: 'healthcare',
    level: 'warn',
    destination: process.stderr as never,
  });
  const db = await openClinicDatabase(config, logger);
  try {
    await work(new ApiKeyService(db, { cacheTtlMs: 0 }));
  } finally {
    await db.close();
  }
};

/** `healthcare-api keys create --role R`, `keys list`, `keys revoke ID`. */
export const registerKeysCommand = (program: Command): void => {
  const keys = program.command('keys').description('Manage API keys (stored as scrypt hashes only)');
  keys
    .command('create')
    .description('Create a key and print it once; it cannot be shown again')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .option('--label <label>', 'who or what the key is for (no personal data)')
    .action(async (options: { role: Role; label?: string }) => {
      await withKeys(async (service) => {
        const created = await service.create(options.role, options.label);
        process.stderr.write(`Created ${options.role} key ${created.id}. Store it now: it is not shown again.\n`);
        process.stdout.write(`${created.key}\n`);
      });
    });
  keys
    .command('list')
    .description('List keys (ids, roles, labels; never the keys)')
    .action(async () => {
      await withKeys(async (service) => {
        for (const key of await service.list()) {
          const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt.toISOString()}`;
          process.stdout.write(`${key.id}\t${key.role}\t${state}\t${key.label ?? ''}\n`);
        }
      });
    });
  keys
    .command('revoke')
    .description('Revoke a key by id')
    .argument('<id>', 'the key id (the 16 hex digits after hck_)')
    .action(async (id: string) => {
      await withKeys(async (service) => {
        if (!(await service.revoke(id))) throw new InvalidArgumentError(`No active key ${id}`);
        process.stderr.write(`Revoked ${id}.\n`);
      });
    });
};
