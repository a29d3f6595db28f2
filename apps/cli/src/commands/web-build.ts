import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root of a source checkout (this file is apps/cli/src/commands/). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WEB_DIR = join(ROOT, 'apps/web');
/** What the page is built from: its own sources and the core package it imports. */
const WEB_SOURCES = [
  join(WEB_DIR, 'client'),
  join(WEB_DIR, 'index.html'),
  join(WEB_DIR, 'vite.config.ts'),
  join(WEB_DIR, 'package.json'),
  join(ROOT, 'packages/core/src'),
];
const BUILT_PAGE = join(WEB_DIR, 'dist/index.html');

/**
 * In a source checkout, `memelab start` builds the web page when it is missing or older
 * than its sources, in a child process while the server starts (the two do not wait for
 * each other on a multi-core machine). Resolves once the page is up to date; a failed build
 * rejects with vite's output.
 */
export const buildWebPageIfStale = async (): Promise<'built' | 'up to date'> => {
  const built = await modifiedMs(BUILT_PAGE);
  if (built !== undefined && (await newestModifiedMs(WEB_SOURCES)) <= built) return 'up to date';
  await runViteBuild();
  return 'built';
};

/**
 * `vite build` in the web workspace, as its `build` script runs it, but started with node
 * directly: through npm (`npm run build -w @memelab/web`) the build cost ~0.7 s more CPU,
 * npm's own start, on a machine that is starting the server at the same time.
 */
const runViteBuild = async (): Promise<void> => {
  const vitePackage = createRequire(join(WEB_DIR, 'package.json')).resolve('vite/package.json');
  const { bin } = JSON.parse(await readFile(vitePackage, 'utf8')) as { bin: { vite: string } };
  const vite = join(dirname(vitePackage), bin.vite);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: WEB_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`Building the web page failed (exit code ${code}):\n${output.trim()}`));
    });
  });
};

const modifiedMs = async (path: string): Promise<number | undefined> => {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The latest modification time of the files under `paths` (0 when none exist). */
const newestModifiedMs = async (paths: readonly string[]): Promise<number> => {
  let newest = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isDirectory()) {
      newest = Math.max(newest, info.mtimeMs);
      continue;
    }
    for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
};
