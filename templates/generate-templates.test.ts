import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../scripts/template-art/templates/index.ts';
import { buildConfig, renderImage } from './generate-templates.ts';

const TEMPLATES_DIR = fileURLToPath(new URL('.', import.meta.url));

describe('template generator', () => {
  it('defines every bundled template once', () => {
    const ids = TEMPLATES.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(15);
  });

  it.each(TEMPLATES.map((template) => [template.id, template] as const))(
    '%s: reproduces the committed config and image byte for byte',
    async (id, template) => {
      const committedConfig = await readFile(join(TEMPLATES_DIR, id, 'template.json'), 'utf8');
      expect(`${JSON.stringify(buildConfig(template), null, 2)}\n`).toBe(committedConfig);
      const committedImage = await readFile(join(TEMPLATES_DIR, id, 'image.jpg'));
      expect(Buffer.compare(await renderImage(template), committedImage)).toBe(0);
    },
  );
});
