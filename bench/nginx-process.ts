import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const START_TIMEOUT_MS = 10_000;

export interface NginxProcess {
  /** The master process; its workers are its children. */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The lines every benchmark nginx shares: its pid file, its error log and its temporary
 * files under `prefix`, so it runs from a temporary directory without touching the
 * system's nginx. Running as root, nginx's workers would drop to an unprivileged user;
 * `user root` keeps them able to read and write the benchmark's files.
 */
export const nginxPreamble = (prefix: string, workerProcesses: 'auto' | number): string =>
  `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes ${workerProcesses};
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
daemon off;
events { worker_connections 1024; }`;

/** Temporary paths inside an `http` block, all under `prefix`. */
export const nginxTempPaths = (prefix: string): string => `client_body_temp_path ${prefix}/client-body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;`;

/**
 * Writes `config` to `prefix`/nginx.conf, starts nginx on it in the foreground and waits
 * until `probeUrl` answers 200 to `probeMethod`. A start that fails says why, with nginx's
 * own output.
 */
export const runNginx = async (
  prefix: string,
  config: string,
  probeUrl: string,
  probeMethod: 'GET' | 'HEAD' = 'GET',
): Promise<NginxProcess> => {
  const configFile = path.join(prefix, 'nginx.conf');
  await writeFile(configFile, config);
  const child = spawn('nginx', ['-p', prefix, '-c', configFile, '-e', `${prefix}/error.log`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(probeUrl, { method: probeMethod })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`nginx did not answer ${probeMethod} ${probeUrl}:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGQUIT');
      await exited;
    },
  };
};
