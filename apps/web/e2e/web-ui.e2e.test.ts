import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { type MemelabServer, startMemelabServer } from './memelab-server.ts';
import {
  changedSinceRemembered,
  DESKTOP,
  openPageIn,
  openTemplate,
  PHONE,
  RESULTS_DIR,
  rememberPreview,
  screenshot,
  setCaption,
  TEMPLATE,
  waitForDrawAfter,
} from './page-helpers.ts';

/**
 * Preview and server draw with the same layout engine and painter but different
 * rasterisers (Chrome's Skia build vs @napi-rs/canvas) and JPEG decoders, so edges of
 * glyphs and the background differ slightly. A pixel "differs" when any channel is off by
 * more than PIXEL_THRESHOLD; at most MAX_DIFFERING_SHARE of pixels may.
 */
const PIXEL_THRESHOLD = 48;
const MAX_DIFFERING_SHARE = 0.02;

let server: MemelabServer;
let browser: TestBrowser;

const openPage = (viewport = DESKTOP): Promise<Page> => openPageIn(browser, viewport);

const setCaptions = async (page: Page, captions: readonly string[]): Promise<void> => {
  for (const [index, caption] of captions.entries()) await setCaption(page, index, caption);
};

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  server = await startMemelabServer();
  browser = await launchBrowser(server.baseUrl);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('memelab web page', () => {
  it('searches the gallery and opens a template with the keyboard', async () => {
    const page = await openPage();
    await screenshot(page, 'desktop-gallery');
    const allCount = await page.locator('.gallery__item').count();
    await page.getByTestId('template-search').fill('rack');
    await page.waitForFunction((all) => document.querySelectorAll('.gallery__item').length < all, allCount);
    const item = page.locator(`[data-template-id="${TEMPLATE}"]`);
    await item.focus();
    await page.keyboard.press('Enter');
    await expect(item.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.locator('#editor-heading').textContent()).resolves.toBe('Rack of Doom');
    await waitForDrawAfter(page, 0);
    await page.close();
  });

  it('redraws the preview as captions are typed', async () => {
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    await rememberPreview(page);
    await setCaptions(page, ['a completely different caption']);
    expect(await changedSinceRemembered(page)).toBeGreaterThan(1000);
    await page.close();
  });

  it('creates a meme, shows the final image, and another page’s feed shows it without reload', async () => {
    const watcher = await openPage();
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    await setCaptions(page, ['when the e2e test', 'passes on the first try']);
    // A narrowed gallery keeps the documentation image small.
    await page.getByTestId('template-search').fill('rack');
    await page.waitForFunction(() => document.querySelectorAll('.gallery__item').length < 5);
    await screenshot(page, 'desktop-editor');
    await page.getByTestId('create-meme').click();
    await page.locator('[data-testid="meme-result"][data-status="done"]').waitFor();
    const image = page.getByTestId('result-image');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="result-image"]');
      return (img?.complete ?? false) && (img?.naturalWidth ?? 0) > 0;
    });
    const src = (await image.getAttribute('src')) ?? '';
    expect(src).toMatch(/^\/m\/[\w-]+\.jpg$/);
    await expect(page.getByTestId('memegen-link').getAttribute('href')).resolves.toMatch(/^\/images\/rack-of-doom\//);
    await expect(page.getByRole('link', { name: 'Download' }).getAttribute('href')).resolves.toBe(src);
    await image.scrollIntoViewIfNeeded();
    await screenshot(page, 'desktop-result');

    const id = src.slice('/m/'.length, src.lastIndexOf('.'));
    await watcher.locator(`[data-meme-id="${id}"]`).waitFor({ timeout: 15_000 });
    await page.close();
    await watcher.close();
  });

  it('shows the API’s problem when a caption is too long', async () => {
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    await page.getByTestId('caption-0').fill('x'.repeat(501));
    await page.getByTestId('create-meme').click();
    const alert = page.getByRole('alert');
    await page.waitForFunction(() => (document.querySelector('[role="alert"]')?.textContent ?? '') !== '');
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('INVALID_MEME_SPEC');
    expect(text).toContain('captions.0');
    expect(text).toContain('at most 500 characters');
    await screenshot(page, 'desktop-error');
    await page.close();
  });

  it('draws the same preview as the server renders', async () => {
    const captions = ['preview and server', 'draw the same pixels'];
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    await setCaptions(page, captions);
    const result = await page.evaluate(
      async ({ template, captions, threshold }) => {
        const response = await fetch('/api/memes', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ template, captions, format: 'png' }),
        });
        const created = (await response.json()) as { links: { self: string; image: string } };
        const done = (await (await fetch(`${created.links.self}?wait=30`)).json()) as { status: string };
        if (done.status !== 'done') throw new Error(`the meme is ${done.status}`);
        const image = new Image();
        image.src = created.links.image;
        await image.decode();
        const preview = document.querySelector<HTMLCanvasElement>('[data-testid="preview-canvas"]');
        const previewCtx = preview?.getContext('2d');
        if (preview == null || previewCtx == null) throw new Error('no preview canvas');
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const ctx = canvas.getContext('2d');
        if (ctx === null) throw new Error('no canvas');
        ctx.drawImage(image, 0, 0);
        const server = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const local = previewCtx.getImageData(0, 0, preview.width, preview.height).data;
        let differing = 0;
        let maxDelta = 0;
        let totalDelta = 0;
        for (let at = 0; at < server.length; at += 4) {
          let pixelDelta = 0;
          for (let channel = 0; channel < 4; channel++) {
            const delta = Math.abs((server[at + channel] ?? 0) - (local[at + channel] ?? 0));
            pixelDelta = Math.max(pixelDelta, delta);
          }
          totalDelta += pixelDelta;
          maxDelta = Math.max(maxDelta, pixelDelta);
          if (pixelDelta > threshold) differing++;
        }
        const pixels = server.length / 4;
        return {
          serverSize: [canvas.width, canvas.height],
          previewSize: [preview.width, preview.height],
          differingShare: differing / pixels,
          meanDelta: totalDelta / pixels,
          maxDelta,
        };
      },
      { template: TEMPLATE, captions, threshold: PIXEL_THRESHOLD },
    );
    console.log('preview vs server:', JSON.stringify(result));
    expect(result.previewSize).toEqual(result.serverSize);
    expect(result.differingShare).toBeLessThanOrEqual(MAX_DIFFERING_SHARE);
    await page.close();
  });

  it('fits a phone screen and reads in dark mode', async () => {
    const page = await openPage(PHONE);
    await screenshot(page, 'phone-gallery');
    await openTemplate(page, TEMPLATE);
    await page.getByTestId('editor').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-editor');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'phone-editor-dark');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'desktop-editor-dark');
    await page.close();
  });
});
