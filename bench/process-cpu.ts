import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time of processes, from /proc/<pid>/stat (Linux): user plus system time of every
 * thread of the process, in ms. Used by the pipeline benchmark to show where the cost of a
 * meme lands: the api, each worker, the broker, the database, the S3 stand-in, the load
 * generator.
 */
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

export const processCpuMs = async (pid: number): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined; // gone, or not Linux
  }
};

/** Pids whose command line matches, e.g. the RabbitMQ node (beam.smp) or PostgreSQL backends of one database. */
export const pidsMatching = async (matches: (commandLine: string) => boolean): Promise<number[]> => {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      if (commandLine !== '' && matches(commandLine)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
};

/** A process and its direct children, e.g. nginx's master and its worker. */
export const processWithChildren = async (pid: number): Promise<number[]> => {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [pid];
  }
  const pids = [pid];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at the state; the parent is next.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
};

/** The RabbitMQ node's Erlang VM. */
export const rabbitMqPids = (): Promise<number[]> =>
  pidsMatching((line) => /\bbeam(\.smp)?\b/.test(line) && /-s rabbit boot|rabbit/.test(line));

/** PostgreSQL backends serving one database: their process title is `postgres: <cluster>: <user> <database> <client> <state>`. */
export const postgresBackendPids = (database: string): Promise<number[]> =>
  pidsMatching((line) => line.startsWith('postgres:') && line.split(/\s+/).includes(database));

/**
 * CPU of named groups of processes between `start()` and `stop()`. Groups are found again
 * at the end (database backends come and go with pool connections); a process first seen
 * at the end counts from zero, which is exact for one started during the run.
 */
export class CpuMeter {
  private readonly before = new Map<number, number>();

  constructor(private readonly groups: Record<string, () => Promise<number[]>>) {}

  async start(): Promise<void> {
    for (const find of Object.values(this.groups)) {
      for (const pid of await find()) this.before.set(pid, (await processCpuMs(pid)) ?? 0);
    }
  }

  /** CPU ms per group since `start()`. */
  async stop(): Promise<Record<string, number>> {
    const spent: Record<string, number> = {};
    for (const [name, find] of Object.entries(this.groups)) {
      let total = 0;
      for (const pid of await find()) {
        const now = await processCpuMs(pid);
        if (now !== undefined) total += now - (this.before.get(pid) ?? 0);
      }
      spent[name] = total;
    }
    return spent;
  }
}
