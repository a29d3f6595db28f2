import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));
/** tsx's loader by absolute URL, so the server starts from any working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The admin key the test server accepts for adding templates. */
export const E2E_ADMIN_KEY = 'e2e-admin-key-0123456789';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface MemelabServer {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** `memelab start` in a throwaway data directory, serving the built page from apps/web/dist. */
export const startMemelabServer = async (timeoutMs = 90_000): Promise<MemelabServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'memelab-web-e2e-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_WRITES_PER_MINUTE: '10000',
      ADMIN_API_KEY: E2E_ADMIN_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exitCode: number | string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal ?? 'unknown';
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${String(port)}`;
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined) throw new Error(`memelab exited with ${String(exitCode)}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) return { baseUrl, child, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`memelab was not ready within ${String(timeoutMs)} ms:\n${output}`);
};
