import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer, type ServerBundle } from './bundle-server.ts';

const run = promisify(execFile);
// The repository's node_modules, linked beside the bundle so that it resolves its external
// packages from there, as it does from /app/node_modules in the image.
const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));

let bundle: ServerBundle;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'memelab-bundle-'));
  await symlink(NODE_MODULES, join(workDir, 'node_modules'), 'dir');
  bundle = await bundleServer(join(workDir, 'server'));
}, 60_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const memelab = (...args: string[]) =>
  run(process.execPath, ['--enable-source-maps', join(bundle.outDir, 'memelab.mjs'), ...args], { cwd: workDir });

describe('the server bundle', () => {
  it('carries its migrations, templates and only the registered font files', async () => {
    expect(await readdir(join(bundle.outDir, 'migrations'))).toContain('0001_initial.sql');
    expect(await readdir(bundle.outDir)).toContain('pglite-initdb.tar.br');
    expect(bundle.templates).toBe(15);
    const emoji = await readdir(join(bundle.outDir, 'fonts/@fontsource/noto-color-emoji'));
    expect(emoji.length).toBeGreaterThan(0);
    expect(emoji.every((file) => file.endsWith('-400-normal.woff2'))).toBe(true);
  });

  it('keeps native and asset-loading packages external and inlines the workspace', async () => {
    expect(bundle.externals).toEqual(expect.arrayContaining(['@napi-rs/canvas', '@electric-sql/pglite', 'fastify']));
    expect(bundle.externals.some((name) => name.startsWith('@memelab/'))).toBe(false);
    const chunks = (await readdir(join(bundle.outDir, 'chunks'))).filter((file) => file.endsWith('.mjs'));
    for (const file of ['memelab.mjs', ...chunks.map((chunk) => `chunks/${chunk}`)]) {
      expect(await readFile(join(bundle.outDir, file), 'utf8')).not.toMatch(/from ["']@memelab\//);
    }
  });

  it('leaves what only some commands use to chunks loaded on demand, not to the start of every command', async () => {
    // The packages memelab.mjs and the chunks it imports statically load before any command runs.
    const atStart = new Set<string>();
    const visited = new Set<string>();
    const pending = ['memelab.mjs'];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (visited.has(file)) continue;
      visited.add(file);
      const source = await readFile(join(bundle.outDir, file), 'utf8');
      for (const [, specifier] of source.matchAll(
        /^(?:import\s[^;(]*?from\s*|\}\s*from\s*|import\s*)["']([^"']+)["']/gm,
      )) {
        if (specifier?.startsWith('./chunks/') || specifier?.startsWith('./'))
          pending.push(join(dirname(file), specifier));
        else if (specifier !== undefined) atStart.add(specifier);
      }
    }
    expect(visited.size).toBeGreaterThan(1);
    expect([...atStart]).toContain('node:module');
    for (const onDemand of [
      '@napi-rs/canvas',
      '@electric-sql/pglite',
      'pg',
      'amqplib',
      'undici',
      'hdr-histogram-js',
      'fastify',
    ]) {
      expect([...atStart]).not.toContain(onDemand);
    }
  });

  it('runs from its own directory: lists the bundled templates and renders with the bundled fonts', async () => {
    const listed = await memelab('templates');
    expect(listed.stdout.trim().split('\n')).toHaveLength(15);
    const out = join(workDir, 'meme.png');
    await memelab('render', '--template', 'rack-of-doom', '--text', 'bundled', '--text', '你好 🎉', '--out', out);
    const png = await readFile(out);
    expect([...png.subarray(1, 4)].map((byte) => String.fromCharCode(byte)).join('')).toBe('PNG');
  });

  it('renders JPEG from the bundle', async () => {
    const out = join(workDir, 'meme.jpg');
    await memelab('render', '--template', 'rack-of-doom', '--text', 'bundled', '--out', out);
    expect([...(await readFile(out)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('loads the api and worker roles it starts on demand, as far as their configuration check', async () => {
    // Both roles are imported lazily; a module that became asynchronous (a top-level await
    // anywhere below them) would leave their entry points undefined in the bundle.
    for (const role of ['api', 'worker']) {
      const failed = await run(process.execPath, [join(bundle.outDir, 'memelab.mjs'), role], {
        cwd: workDir,
        env: { ...process.env, DATABASE_URL: '', AMQP_URL: '' },
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toContain(`required for \`memelab ${role}\``);
      expect(failed?.stderr).not.toMatch(/is not a function/);
    }
  });

  it('applies its migrations to an embedded database', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(bundle.outDir, 'memelab.mjs'), 'migrate'], {
      cwd: workDir,
      env: { ...process.env, DATA_DIR: join(workDir, 'data') },
    });
    expect(`${stdout}${stderr}`).toMatch(/0001_initial/);
  });
});
