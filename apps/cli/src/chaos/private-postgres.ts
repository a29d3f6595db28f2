import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own (initdb + pg_ctl on a port of its own, data and socket
 * in a temporary directory), so a chaos experiment can stop, crash and restart a database
 * without touching the machine's shared one. PostgreSQL refuses to run as root: as root,
 * the cluster runs as the `postgres` user that Debian's packages create.
 */
export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** `fast` rolls back open transactions and disconnects clients; `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

const findBinDir = async (): Promise<string> => {
  for (const dir of BIN_DIRS) {
    try {
      await run(join(dir, 'pg_ctl'), ['--version']);
      return dir;
    } catch {
      // not this version
    }
  }
  throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
};

export const createPrivatePostgres = async (port: number): Promise<PrivatePostgres> => {
  const binDir = await findBinDir();
  const base = await mkdtemp(join(tmpdir(), 'memelab-chaos-pg-'));
  const dataDir = join(base, 'data');
  const asRoot = userInfo().uid === 0;
  // pg_ctl and initdb run as `postgres` when this process is root.
  const pg = (tool: string, args: readonly string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]) : run(join(binDir, tool), [...args]);
  if (asRoot) {
    await chmod(base, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(base, Number(stdout.trim()), Number(gid.trim()));
  }
  await pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pg('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(base, 'postgres.log'), '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pg('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    restart: async () => {
      await stop('fast');
      await start();
    },
    destroy: async () => {
      await stop('immediate').catch(() => {});
      await rm(base, { recursive: true, force: true });
    },
  };
};
