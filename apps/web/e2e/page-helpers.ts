import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { TestBrowser } from './browser.ts';

export const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const TEMPLATE = 'rack-of-doom';

export const screenshot = (page: Page, name: string) => page.screenshot({ path: `${RESULTS_DIR}${name}.png` });

/** A new page on the home screen, once the gallery has loaded. */
export const openPageIn = async (browser: TestBrowser, viewport = DESKTOP): Promise<Page> => {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await page.goto('/');
  await page.locator('.gallery__item').first().waitFor();
  return page;
};

/** Number of finished preview draws, so a test can wait for the next one. */
export const drawCount = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('preview-canvas').getAttribute('data-drawn')) ?? '0');

export const waitForDrawAfter = async (page: Page, count: number): Promise<void> => {
  await page.waitForFunction(
    (previous) =>
      Number(document.querySelector('[data-testid="preview-canvas"]')?.getAttribute('data-drawn') ?? 0) > previous,
    count,
  );
};

/** Waits until the editor shows this subject (`template:<id>` or a `background:` prefix). */
export const waitForEditorOf = async (page: Page, subjectPrefix: string): Promise<void> => {
  await page.locator(`[data-testid="editor"][data-subject^="${subjectPrefix}"]`).waitFor();
};

/** Scrolls the gallery until the template's page has loaded, as a person would. */
export const scrollGalleryTo = async (page: Page, id: string): Promise<void> => {
  const item = page.locator(`[data-template-id="${id}"]`);
  for (let attempt = 0; attempt < 20 && (await item.count()) === 0; attempt++) {
    const shown = await page.locator('.gallery__item').count();
    await page.getByTestId('gallery-scroller').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await page.waitForFunction(
      ([count, wanted]) =>
        document.querySelector(`[data-template-id="${wanted}"]`) !== null ||
        document.querySelectorAll('.gallery__item').length > count ||
        document.querySelector('[data-testid="gallery-more"]') === null,
      [shown, id] as const,
    );
  }
  await item.scrollIntoViewIfNeeded();
};

export const openTemplate = async (page: Page, id: string): Promise<void> => {
  await scrollGalleryTo(page, id);
  await page.locator(`[data-template-id="${id}"]`).click();
  // The page opens on the gallery's first template: wait for this one's editor and its own first draw.
  await waitForEditorOf(page, `template:${id}`);
  await waitForDrawAfter(page, 0);
};

/** Types a caption and waits for the preview to redraw with it. */
export const setCaption = async (page: Page, index: number, caption: string): Promise<void> => {
  const before = await drawCount(page);
  await page.getByTestId(`caption-${String(index)}`).fill(caption);
  await waitForDrawAfter(page, before);
};

/** Keeps a copy of the preview's pixels in the page, where comparing them is cheap. */
export const rememberPreview = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="preview-canvas"]');
    const ctx = canvas?.getContext('2d');
    if (canvas == null || ctx == null) throw new Error('no preview canvas');
    Reflect.set(window, 'rememberedPreview', ctx.getImageData(0, 0, canvas.width, canvas.height).data);
  });

/** How many bytes of the preview's pixels differ from the remembered copy. */
export const changedSinceRemembered = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="preview-canvas"]');
    const ctx = canvas?.getContext('2d');
    const before: unknown = Reflect.get(window, 'rememberedPreview');
    if (canvas == null || ctx == null || !(before instanceof Uint8ClampedArray)) throw new Error('nothing to compare');
    const after = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    if (after.length !== before.length) return after.length;
    let changed = 0;
    for (let at = 0; at < after.length; at++) if (after[at] !== before[at]) changed++;
    return changed;
  });
