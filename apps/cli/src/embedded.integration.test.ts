/** The same end-to-end scenario in embedded mode: `memelab start`, one process, no services. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemelabProcess, makeTempDir, memeClient, removeDir, startMemelab } from './testing/process-stack.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await makeTempDir();
});

afterAll(async () => {
  await removeDir(dataDir);
});

const stop = async (memelab: MemelabProcess): Promise<number | string> => {
  memelab.child.kill('SIGTERM');
  return memelab.exited;
};

describe('embedded mode', () => {
  it('renders memes in one process and keeps them across a restart', async () => {
    const first = await startMemelab('start', { DATA_DIR: dataDir });
    const client = memeClient(`http://127.0.0.1:${first.port}`);
    const ids: string[] = [];
    for (let index = 0; index < 30; index++)
      ids.push((await client.create([`embedded ${index}`, 'survives restarts'])).id);
    expect((await client.waitAllDone(ids, 60_000)).pending, first.output()).toEqual([]);
    expect(await stop(first), first.output()).toBe(0);

    const second = await startMemelab('start', { DATA_DIR: dataDir });
    try {
      const again = memeClient(`http://127.0.0.1:${second.port}`);
      expect(await again.status(ids[0] ?? ''), second.output()).toBe('done');
      const image = await fetch(`http://127.0.0.1:${second.port}/m/${ids[0]}.jpg`);
      expect(image.status).toBe(200);
      expect(
        Buffer.from(await image.arrayBuffer())
          .subarray(0, 3)
          .toString('hex'),
      ).toBe('ffd8ff');
    } finally {
      expect(await stop(second), second.output()).toBe(0);
    }
  });

  it('refuses a second process on the same data directory with a clear error', async () => {
    const first = await startMemelab('start', { DATA_DIR: dataDir });
    try {
      await expect(startMemelab('start', { DATA_DIR: dataDir })).rejects.toThrow(/exited with 1[\s\S]*(lock|in use)/i);
    } finally {
      await stop(first);
    }
  });
});
