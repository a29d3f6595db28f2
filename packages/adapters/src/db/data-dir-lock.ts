import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** The lock file's name inside the data directory. */
export const DATA_DIR_LOCK_FILE = 'memelab.lock';
const heldByThisProcess = new Set<string>();

/**
 * Claims a PGlite data directory for this process. PGlite does not stop a second process
 * from opening the same directory, and two writers silently corrupt it, so a lock file
 * records the owner's pid. A lock whose process is gone is stale and taken over. Returns
 * the function that gives the directory back.
 */
export async function lockDataDir(directory: string): Promise<() => Promise<void>> {
  const file = path.join(directory, DATA_DIR_LOCK_FILE);
  if (heldByThisProcess.has(file)) throw inUse(directory, process.pid, file);
  if (!(await tryCreate(file))) {
    const owner = await readOwner(file);
    // Equal to our own pid but not held by us: a previous run in a container that reused the pid.
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw inUse(directory, owner, file);
    await rm(file, { force: true });
    if (!(await tryCreate(file))) throw new Error(`Another process claimed the data directory ${directory} first`);
  }
  heldByThisProcess.add(file);
  return async () => {
    heldByThisProcess.delete(file);
    await rm(file, { force: true });
  };
}

/** Creates the lock file with our pid; false when it already exists. */
async function tryCreate(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  }
}

async function readOwner(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return hasCode(error, 'EPERM');
  }
}

function inUse(directory: string, pid: number, file: string): Error {
  return new Error(
    `The data directory ${directory} is in use by process ${pid}; stop that process, or delete ${file} if it is not a memelab process`,
  );
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
