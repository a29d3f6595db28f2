import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Podman with a configuration and image storage of its own under `stateDir`, so the
 * container tests neither depend on nor disturb the machine's podman set-up.
 *
 * The engine settings are the ones these machines need: crun cannot start containers
 * here and the default ulimits are refused, so runc, cgroupfs, a file events log and
 * explicit ulimits.
 */
export interface Podman {
  readonly env: NodeJS.ProcessEnv;
  /** Runs podman; rejects with its output when it exits non-zero. */
  run(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Runs podman and resolves with the result whatever the exit code. */
  attempt(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export interface RunOptions {
  /** Copies output lines that match to this process's stderr (long builds show progress). */
  readonly echo?: RegExp;
  readonly input?: NodeJS.ReadableStream;
  readonly timeoutMs?: number;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

export const createPodman = async (stateDir: string): Promise<Podman> => {
  await mkdir(join(stateDir, 'storage'), { recursive: true });
  await mkdir(join(stateDir, 'run'), { recursive: true });
  const containersConf = join(stateDir, 'containers.conf');
  const storageConf = join(stateDir, 'storage.conf');
  await writeFile(containersConf, CONTAINERS_CONF);
  await writeFile(
    storageConf,
    `[storage]\ndriver = "overlay"\ngraphroot = "${join(stateDir, 'storage')}"\nrunroot = "${join(stateDir, 'run')}"\n`,
  );
  const env = { ...process.env, CONTAINERS_CONF: containersConf, CONTAINERS_STORAGE_CONF: storageConf };
  // In the state directory, not the caller's: conmon leaves files such as `oom` in its
  // working directory when a container is killed for memory.
  const attempt = (args: readonly string[], options: RunOptions = {}): Promise<CommandResult> =>
    runCommand('podman', args, { ...options, env, cwd: stateDir });
  return {
    env,
    attempt,
    async run(args, options) {
      const result = await attempt(args, options);
      if (result.code !== 0) {
        throw new Error(`podman ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
      }
      return result;
    },
  };
};

export const runCommand = (
  command: string,
  args: readonly string[],
  options: RunOptions & { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const echo = options.echo;
    const echoMatching = (chunk: string): void => {
      if (echo === undefined) return;
      for (const line of chunk.split('\n')) if (echo.test(line)) process.stderr.write(`${line}\n`);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      echoMatching(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      echoMatching(chunk);
    });
    if (options.input && child.stdin) options.input.pipe(child.stdin);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs} ms`));
          }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
