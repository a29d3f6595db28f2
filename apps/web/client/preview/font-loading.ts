import { cssFontFor, REFERENCE_FONT_SIZE, type RenderPlan } from '@memelab/core';

/** Text that makes the primary face of a font load even when a caption is empty. */
const SAMPLE_TEXT = 'Aa';

/**
 * Loads the font files (unicode-range subsets) the plan's captions need. Measuring before
 * they arrive would lay text out with a fallback face and the preview would not match the
 * server's image.
 */
export const loadFontsFor = async (plan: RenderPlan): Promise<void> => {
  const requests = new Map<string, { font: string; text: string }>();
  for (const caption of plan.captions) {
    const text = caption.text.trim() === '' ? SAMPLE_TEXT : caption.text;
    const font = cssFontFor(caption.style.font, REFERENCE_FONT_SIZE, text);
    requests.set(`${font}\u0000${text}`, { font, text });
  }
  await Promise.all([...requests.values()].map(({ font, text }) => document.fonts.load(font, text)));
};
