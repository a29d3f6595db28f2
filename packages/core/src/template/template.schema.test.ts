import { describe, expect, it } from 'vitest';
import { normalizeColor } from './color.ts';
import { defaultTextBoxes } from './default-text-boxes.ts';
import { templateSchema } from './template.schema.ts';

const valid = {
  id: 'two-panel',
  name: 'Two panel',
  source: { author: 'memelab contributors', licence: 'CC0-1.0' },
  image: 'image.jpg',
  width: 600,
  height: 600,
  textBoxes: [{ x: 0.5, y: 0, width: 0.5, height: 0.5 }],
};

describe('template schema', () => {
  it('fills box and style defaults', () => {
    const template = templateSchema.parse(valid);
    expect(template.textBoxes[0]).toMatchObject({
      align: 'center',
      verticalAlign: 'middle',
      rotation: 0,
      style: { font: 'anton', color: '#ffffff', outlineColor: '#000000', case: 'upper' },
    });
  });

  it.each([
    [{ id: 'Bad_Id' }, 'id'],
    [{ textBoxes: [] }, 'textBoxes'],
    [{ width: 10 }, 'width'],
    [{ textBoxes: [{ x: 0, y: 0, width: 0.01, height: 0.5 }] }, 'textBoxes.0.width'],
    [{ textBoxes: [{ x: 0, y: 0, width: 0.5, height: 0.5, style: { font: 'comic-sans' } }] }, 'textBoxes.0.style.font'],
  ])('rejects %j at %s', (override, path) => {
    const result = templateSchema.safeParse({ ...valid, ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('colours', () => {
  it.each([
    ['#FFF', '#ffffff'],
    ['#abcdefff', '#abcdef'],
    ['#abcd', '#aabbccdd'],
    [' White ', '#ffffff'],
    ['transparent', '#00000000'],
    ['#12', undefined],
    ['rgb(0,0,0)', undefined],
  ])('normalises %j to %j', (input, output) => {
    expect(normalizeColor(input)).toBe(output);
  });
});

describe('default text boxes', () => {
  it('uses top and bottom boxes for two captions and rows for more', () => {
    expect(defaultTextBoxes(2).map((box) => box.verticalAlign)).toEqual(['top', 'bottom']);
    const rows = defaultTextBoxes(4);
    expect(rows).toHaveLength(4);
    for (const box of rows) expect(box.y + box.height).toBeLessThanOrEqual(1);
  });
});
