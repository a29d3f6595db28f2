import { checkLayoutProperties } from '@memelab/core/testing';
import { describe, expect, it } from 'vitest';
import { CanvasTextMeasurer } from './canvas-text-measurer.ts';

describe('layout with the bundled fonts', () => {
  const measurer = new CanvasTextMeasurer();

  it('measures real, distinct advance widths per font', () => {
    const anton = measurer.measureWidth('MORDOR', 'anton');
    const sans = measurer.measureWidth('MORDOR', 'noto-sans');
    expect(anton).toBeGreaterThan(100);
    expect(sans).toBeGreaterThan(100);
    expect(anton).not.toBeCloseTo(sans, 0);
    expect(measurer.measureWidth('WW', 'anton')).toBeGreaterThan(measurer.measureWidth('II', 'anton'));
  });

  it('reports ink below the baseline only for descenders', () => {
    expect(measurer.measureInk('ONE', 'anton').descent).toBeLessThan(2);
    expect(measurer.measureInk('gyp', 'anton').descent).toBeGreaterThan(10);
  });

  it('measures CJK, Arabic and emoji through the fallback fonts', () => {
    for (const text of ['你好世界', 'مرحبا', '😂']) {
      expect(measurer.measureWidth(text, 'anton')).toBeGreaterThan(50);
    }
  });

  it('satisfies the layout properties with real font metrics', () => {
    checkLayoutProperties(measurer, 100);
  });
});
