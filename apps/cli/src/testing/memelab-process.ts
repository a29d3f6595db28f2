import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs `memelab` roles as real processes for end-to-end tests and benchmarks. Kept free of
 * broker and database test code so browser tests can use it too.
 */
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
/** tsx's loader, by absolute URL, so a command started with it runs from any working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface FinishedCommand {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript entry point through tsx to its end and collects what it printed. */
export const runTypeScript = (
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<FinishedCommand> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface MemelabProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

export interface StartMemelabOptions {
  /** Extra node options, such as `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
  /**
   * Run at this nice value (1 to 19: lower CPU priority), every thread included, as a
   * benchmark runs render workers beside the API on one machine.
   */
  readonly niceness?: number;
  /** Listen on this port instead of a free one (a restarted API keeps its address). */
  readonly port?: number;
  /** Run this built script with plain node (the server bundle) instead of the source under tsx. */
  readonly script?: string;
}

export const startMemelab = async (
  role: 'api' | 'worker' | 'start',
  env: Record<string, string>,
  { nodeArgs = [], readyTimeoutMs = 60_000, niceness = 0, port: fixedPort, script }: StartMemelabOptions = {},
): Promise<MemelabProcess> => {
  const port = fixedPort ?? (await freePort());
  const portVariable = role === 'worker' ? 'OPS_PORT' : 'PORT';
  // The loader is given to node directly (not registered from a wrapper script) so that
  // node options such as --cpu-prof apply to the whole program.
  const command =
    script === undefined
      ? [process.execPath, '--import', TSX_LOADER, ...nodeArgs, MAIN, role]
      : [process.execPath, ...nodeArgs, script, role];
  // nice(1) execs node in its own place (same pid, so signals still reach it), and threads
  // inherit the nice value from the start; renicing a running process changes only its
  // main thread on Linux, not the thread pool that encodes images.
  const [file, ...args] = niceness === 0 ? command : ['nice', '-n', String(niceness), ...command];
  const child = spawn(file as string, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const process_: MemelabProcess = { child, port, output: () => output, exited };
  try {
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, process_, readyTimeoutMs);
  } catch (error) {
    // Never leave a half-started server behind a failed test.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  return process_;
};

const waitUntilReady = async (url: string, memelab: MemelabProcess, timeoutMs = 60_000): Promise<void> => {
  const started = Date.now();
  let exitCode: number | string | undefined;
  void memelab.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined)
      throw new Error(`memelab exited with ${exitCode} before it was ready:\n${memelab.output()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`memelab was not ready within ${timeoutMs} ms:\n${memelab.output()}`);
};

export const makeTempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'memelab-e2e-'));
export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
