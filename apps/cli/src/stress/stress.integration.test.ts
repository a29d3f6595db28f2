import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FinishedCommand,
  type MemelabProcess,
  makeTempDir,
  removeDir,
  runTypeScript,
  startMemelab,
} from '../testing/memelab-process.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

const runStressCli = (args: readonly string[]): Promise<FinishedCommand> => runTypeScript(MAIN, ['stress', ...args]);

describe('memelab stress against embedded memelab', () => {
  let dataDir: string;
  let outDir: string;
  let memelab: MemelabProcess;

  beforeAll(async () => {
    dataDir = await makeTempDir();
    outDir = await makeTempDir();
    memelab = await startMemelab('start', { DATA_DIR: dataDir });
  });

  afterAll(async () => {
    memelab?.child.kill('SIGTERM');
    await memelab?.exited;
    await removeDir(dataDir);
    await removeDir(outDir);
  });

  it('runs an open-model mix, follows every meme to done and writes JSON and HTML reports', async () => {
    const result = await runStressCli([
      '--url',
      `http://127.0.0.1:${memelab.port}`,
      '--rate',
      '40',
      '--duration',
      '3s',
      '--drain',
      '60s',
      '--out',
      outDir,
      '--fail-on',
      'lost=0,errors=0',
    ]);
    expect(result.stderr).toContain('memes:');
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary.requests).toBe(120);
    expect(summary.ok).toBe(120);
    expect(summary.byKind.create.requests).toBe(24); // create=2 of every 10
    expect(summary.memes.accepted).toBe(24);
    expect(summary.memes.done).toBe(24);
    expect(summary.memes.lost).toBe(0);
    expect(summary.memes.acceptToDoneMs.p99).toBeGreaterThan(0);
    expect(summary.gate).toEqual([
      { condition: 'lost=0', actual: 0, passed: true },
      { condition: 'errors=0', actual: 0, passed: true },
    ]);
    const files = await readdir(outDir);
    const html = files.find((file) => file.endsWith('.html'));
    expect(html).toBeDefined();
    const page = await readFile(join(outDir, html ?? ''), 'utf8');
    expect(page).toContain('uPlot');
    expect(page).not.toMatch(/<script src=/); // self-contained
    const json = JSON.parse(await readFile(join(outDir, files.find((file) => file.endsWith('.json')) ?? ''), 'utf8'));
    // One sample per whole second of the 3 s load; the last may fall after the load ends.
    expect(json.timeline.length).toBeGreaterThanOrEqual(2);
  });

  it('exits 1 when a --fail-on condition is missed, naming it', async () => {
    const result = await runStressCli([
      '--url',
      `http://127.0.0.1:${memelab.port}`,
      '--concurrency',
      '2',
      '--count',
      '20',
      '--mix',
      'image=1',
      '--out',
      outDir,
      '--fail-on',
      'p99<0.001ms',
      '--no-progress',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL\s+p99<0.001ms/);
  });

  it('refuses a target that is not this machine before sending anything', async () => {
    const result = await runStressCli(['--url', 'http://192.0.2.10:8080', '--count', '1', '--out', outDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('REMOTE_TARGET');
    expect(result.stderr).toContain('--allow-remote');
  });
});
