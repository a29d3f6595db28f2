import { readFile } from 'node:fs/promises';
import { layoutPlan, parseMemeSpec, planMeme } from '@memelab/core';
import { inspectInputImage, MemeRenderer, TemplateCatalog } from '@memelab/render';
import { describe, expect, it } from 'vitest';

const catalog = await TemplateCatalog.load();
const renderer = new MemeRenderer();

describe('bundled templates', () => {
  it('ships at least 12 templates covering the common layouts', () => {
    const templates = catalog.list();
    expect(templates.length).toBeGreaterThanOrEqual(12);
    const boxCounts = new Set(templates.map((template) => template.textBoxes.length));
    expect(boxCounts.has(2)).toBe(true); // top/bottom and two-panel
    expect(boxCounts.has(4)).toBe(true); // four-panel stack
    expect(boxCounts.has(3)).toBe(true); // labels on a scene
    expect(boxCounts.has(1)).toBe(true); // caption bar
  });

  it.each(catalog.list().map((template) => [template.id, template] as const))(
    '%s: image matches its config and is openly licensed',
    async (_id, template) => {
      const entry = catalog.get(template.id);
      const info = inspectInputImage(await readFile(entry.imagePath));
      expect([info.width, info.height]).toEqual([template.width, template.height]);
      expect(template.source.licence).toBe('CC0-1.0');
      expect(template.example).toHaveLength(template.textBoxes.length);
    },
  );

  it.each(catalog.list().map((template) => [template.id, template] as const))(
    '%s: renders its example captions, each fitting its box',
    async (_id, template) => {
      const entry = catalog.get(template.id);
      const plan = planMeme(parseMemeSpec({ template: template.id, captions: template.example }), template);
      for (const layout of layoutPlan(plan, renderer.textMeasurer)) expect(layout.fits).toBe(true);
      const { bytes } = await renderer.render(plan, { key: template.id, load: () => readFile(entry.imagePath) });
      expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    },
  );
});
