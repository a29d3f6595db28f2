import type { ChildProcess } from 'node:child_process';
import { makeTempDir, removeDir, startMemelab } from '../../cli/src/testing/memelab-process.ts';

/** The admin key the test server accepts for adding templates. */
export const E2E_ADMIN_KEY = 'e2e-admin-key-0123456789';

export interface MemelabServer {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** `memelab start` in a throwaway data directory, serving the built page from apps/web/dist. */
export const startMemelabServer = async (timeoutMs = 90_000): Promise<MemelabServer> => {
  const dataDir = await makeTempDir();
  try {
    const memelab = await startMemelab(
      'start',
      { DATA_DIR: dataDir, RATE_LIMIT_WRITES_PER_MINUTE: '10000', ADMIN_API_KEY: E2E_ADMIN_KEY },
      { readyTimeoutMs: timeoutMs },
    );
    return {
      baseUrl: `http://127.0.0.1:${String(memelab.port)}`,
      child: memelab.child,
      output: memelab.output,
      stop: async () => {
        if (memelab.child.exitCode === null && memelab.child.signalCode === null) memelab.child.kill('SIGTERM');
        await memelab.exited;
        await removeDir(dataDir);
      },
    };
  } catch (error) {
    await removeDir(dataDir);
    throw error;
  }
};
