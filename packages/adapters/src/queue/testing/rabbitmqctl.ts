import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Erlang pids of the broker's connections whose client set `connection_name` to `name`. */
export async function connectionPids(name: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    '-q',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  const marker = `{"connection_name","${name}"}`;
  return stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0]?.trim() ?? '')
    .filter((pid) => pid.startsWith('<'));
}

/** Closes those connections from the broker's side, as a broker restart or an operator would. */
export async function closeConnectionsNamed(name: string, reason: string): Promise<number> {
  const pids = await connectionPids(name);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, reason]);
  return pids.length;
}
