import { type Database, runMigrations } from '@memelab/adapters';

const MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The group role the clinic's migrations grant the service's privileges to. */
export const SERVICE_GROUP_ROLE = 'healthcare_service';

export interface ClinicMigrationOptions {
  readonly log?: (message: string) => void;
  /**
   * The login role the service connects as. It is made a member of `healthcare_service`,
   * so it may read and write clinical rows but only read and append the audit trail;
   * created (LOGIN, with `servicePassword`) when missing.
   */
  readonly serviceRole?: string;
  readonly servicePassword?: string;
  /** Where the migrations are; beside this module unless bundled elsewhere. */
  readonly directory?: URL;
}

/** Applies the clinic's migrations (once, even with several processes) and grants the service role. */
export async function migrateClinic(db: Database, options: ClinicMigrationOptions = {}): Promise<string[]> {
  const applied = await runMigrations(db, {
    directory: options.directory ?? MIGRATIONS,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  if (options.serviceRole !== undefined) await grantServiceRole(db, options.serviceRole, options.servicePassword);
  return applied;
}

async function grantServiceRole(db: Database, role: string, password: string | undefined): Promise<void> {
  const { rows } = await db.query<{ exists: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists',
    [role],
  );
  if (rows[0]?.exists !== true) {
    // Role names and passwords cannot be bound parameters in DDL; format() quotes them.
    const { rows: ddl } = await db.query<{ sql: string }>(
      password === undefined
        ? "SELECT format('CREATE ROLE %I LOGIN', $1::text) AS sql"
        : "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql",
      password === undefined ? [role] : [role, password],
    );
    await db.query(ddl[0]?.sql ?? '');
  }
  const { rows: grant } = await db.query<{ sql: string }>(
    "SELECT format('GRANT %I TO %I', $1::text, $2::text) AS sql",
    [SERVICE_GROUP_ROLE, role],
  );
  await db.query(grant[0]?.sql ?? '');
}
