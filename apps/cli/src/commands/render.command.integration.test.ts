import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { syntheticBackground } from '@memelab/render/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/memelab.js', import.meta.url));
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

const memelab = async (...args: string[]): Promise<Outcome> => {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
};

let dir = '';
let templatesDir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memelab-cli-'));
  templatesDir = join(dir, 'templates');
  await mkdir(join(templatesDir, 'test-pattern'), { recursive: true });
  await writeFile(join(templatesDir, 'test-pattern', 'image.png'), syntheticBackground(320, 240));
  await writeFile(
    join(templatesDir, 'test-pattern', 'template.json'),
    JSON.stringify({
      id: 'test-pattern',
      name: 'Test pattern',
      source: { author: 'memelab tests', licence: 'CC0-1.0' },
      image: 'image.png',
      width: 320,
      height: 240,
      textBoxes: [
        { x: 0, y: 0, width: 1, height: 0.25, verticalAlign: 'top' },
        { x: 0, y: 0.75, width: 1, height: 0.25, verticalAlign: 'bottom' },
      ],
    }),
  );
  await writeFile(join(dir, 'background.png'), syntheticBackground(200, 100));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memelab render', () => {
  it('renders a template to the format named by the output file', async () => {
    const out = join(dir, 'meme.png');
    const result = await memelab(
      'render',
      '--templates-dir',
      templatesDir,
      '-t',
      'test-pattern',
      '--text',
      'top',
      '--text',
      'bottom',
      '-o',
      out,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote .*meme\.png \(320x240, \d+ bytes, meme id [a-z2-7]{24}\)/);
    expect((await readFile(out)).subarray(0, 4).toString('hex')).toBe('89504e47');
  });

  it('captions an image file with --background and honours --format and --width', async () => {
    const out = join(dir, 'custom.out');
    const result = await memelab(
      'render',
      '-b',
      join(dir, 'background.png'),
      '--text',
      'hello',
      '--format',
      'webp',
      '--width',
      '100',
      '-o',
      out,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\(100x50,/);
    expect((await readFile(out)).subarray(8, 12).toString('ascii')).toBe('WEBP');
  });

  it('gives the same meme id for the same meme', async () => {
    const args = ['render', '--templates-dir', templatesDir, '-t', 'test-pattern', '--text', 'same'];
    const first = await memelab(...args, '-o', join(dir, 'a.jpg'));
    const second = await memelab(...args, '-o', join(dir, 'b.jpg'));
    const idOf = (output: string): string | undefined => /meme id (\w+)/.exec(output)?.[1];
    expect(idOf(first.stdout)).toBeDefined();
    expect(idOf(first.stdout)).toBe(idOf(second.stdout));
  });

  it.each([
    [
      'an unknown template',
      ['-t', 'no-such-template', '--text', 'x'],
      /error TEMPLATE_NOT_FOUND: There is no template "no-such-template"/,
    ],
    [
      'more captions than boxes',
      ['-t', 'test-pattern', '--text', 'a', '--text', 'b', '--text', 'c'],
      /error TOO_MANY_CAPTIONS/,
    ],
    [
      'a 501-character caption',
      ['-t', 'test-pattern', '--text', 'x'.repeat(501)],
      /captions\.0: a caption is at most 500 characters/,
    ],
    ['a bad colour', ['-t', 'test-pattern', '--color', 'blurple'], /style\.color: "blurple" is not a colour/],
    ['no template or background', ['--text', 'x'], /error MISSING_BACKGROUND/],
    ['a missing background file', ['-b', '/nonexistent/file.png'], /error ENOENT/],
    ['a negative width', ['-t', 'test-pattern', '--width', '-5'], /expected a whole number of pixels/],
    ['an unknown font', ['-t', 'test-pattern', '--font', 'comic-sans'], /Allowed choices are anton, noto-sans/],
  ])('rejects %s with exit code 2 and a clear message', async (_name, args, message) => {
    const result = await memelab('render', '--templates-dir', templatesDir, ...args, '-o', join(dir, 'never.jpg'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace for user mistakes
  });

  it('rejects a file that is not an image with 415 UNSUPPORTED_IMAGE_TYPE', async () => {
    const notAnImage = join(dir, 'notes.png');
    await writeFile(notAnImage, 'just text');
    const result = await memelab('render', '-b', notAnImage, '--text', 'x', '-o', join(dir, 'never.jpg'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error UNSUPPORTED_IMAGE_TYPE/);
  });

  it('requires --out', async () => {
    const result = await memelab('render', '--templates-dir', templatesDir, '-t', 'test-pattern');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option '-o, --out <file>'/);
  });
});

describe('memelab templates', () => {
  it('lists templates with their box counts', async () => {
    const result = await memelab('templates', '--templates-dir', templatesDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^test-pattern\s+2 boxes\s+Test pattern$/m);
  });
});
