import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./garbage-collection.fixture.ts', import.meta.url));

/** The full collections V8 traced while the fixture rendered, by what finished them. */
const fullCollections = async (args: string[]): Promise<{ incremental: number; atomic: number }> => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--trace-gc', FIXTURE, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.split('\n').filter((line) => line.includes('Mark-Compact'));
  return {
    incremental: lines.filter((line) => line.includes('incremental marking')).length,
    atomic: lines.filter((line) => !line.includes('incremental marking')).length,
  };
};

describe('the render worker V8 flags', () => {
  it('turn the full collections that rendering causes from incremental into atomic ones', async () => {
    const [defaults, worker] = await Promise.all([fullCollections([]), fullCollections(['--worker-flags'])]);
    // Without the flags, the pixel read-backs' external memory starts incremental marking.
    expect(defaults.incremental).toBeGreaterThan(0);
    // Set at run time, as `memelab worker` does, the flag takes effect: no collection is
    // marked incrementally any more, and young-generation collections free the read-backs
    // without the full collections.
    expect(worker.incremental).toBe(0);
    expect(worker.atomic + worker.incremental).toBeLessThan(defaults.atomic + defaults.incremental);
  });
});
