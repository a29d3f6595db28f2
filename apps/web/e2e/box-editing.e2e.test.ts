import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { E2E_ADMIN_KEY, type MemelabServer, startMemelabServer } from './memelab-server.ts';
import {
  changedSinceRemembered,
  DESKTOP,
  drawCount,
  openPageIn,
  openTemplate,
  PHONE,
  RESULTS_DIR,
  rememberPreview,
  screenshot,
  scrollGalleryTo,
  setCaption,
  TEMPLATE,
  waitForDrawAfter,
  waitForEditorOf,
} from './page-helpers.ts';

const DOCS_SCREENSHOT = fileURLToPath(new URL('../../../docs/images/web-ui.png', import.meta.url));

let server: MemelabServer;
let browser: TestBrowser;
let pictureJpeg: Buffer;

const openPage = (viewport = DESKTOP): Promise<Page> => openPageIn(browser, viewport);

/** Drags with the pointer from the element's centre by (dx, dy) pixels. */
const dragBy = async (page: Page, testId: string, dx: number, dy: number): Promise<void> => {
  const box = await page.getByTestId(testId).boundingBox();
  if (box === null) throw new Error(`${testId} is not visible`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
};

/** Creates the meme, waits for the final image to load, and returns its spec as the API keeps it. */
const createAndLoad = async (page: Page): Promise<Record<string, unknown>> => {
  await page.getByTestId('create-meme').click();
  await page.locator('[data-testid="meme-result"][data-status="done"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="result-image"]');
    return (img?.complete ?? false) && (img?.naturalWidth ?? 0) > 0;
  });
  const src = (await page.getByTestId('result-image').getAttribute('src')) ?? '';
  const id = src.slice('/m/'.length, src.lastIndexOf('.'));
  const meme = (await (await fetch(`${server.baseUrl}/api/memes/${id}`)).json()) as { spec: Record<string, unknown> };
  return meme.spec;
};

const alertText = async (page: Page): Promise<string> => {
  await page.waitForFunction(() => (document.querySelector('[role="alert"]')?.textContent ?? '') !== '');
  return (await page.getByRole('alert').textContent()) ?? '';
};

const fillTemplateForm = async (page: Page, key: string, name: string): Promise<void> => {
  await page.locator('[data-testid="template-upload"] summary').click();
  await page.getByTestId('admin-key').fill(key);
  await page.getByTestId('template-name').fill(name);
  await page.getByTestId('template-keywords').fill('e2e, upload');
  await page
    .getByTestId('template-file')
    .setInputFiles({ name: 'e2e.jpg', mimeType: 'image/jpeg', buffer: pictureJpeg });
  await page.getByTestId('template-text-box-0').waitFor();
};

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  server = await startMemelabServer();
  browser = await launchBrowser(server.baseUrl);
  pictureJpeg = Buffer.from(await (await fetch(`${server.baseUrl}/api/templates/${TEMPLATE}/image`)).arrayBuffer());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('placing text and uploading pictures', () => {
  it('drags a text box, redraws the preview, and makes the meme with those boxes', async () => {
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    await setCaption(page, 0, 'moved caption');
    await rememberPreview(page);
    const drawn = await drawCount(page);
    await dragBy(page, 'text-box-0', 40, 120);
    await waitForDrawAfter(page, drawn);
    expect(await changedSinceRemembered(page)).toBeGreaterThan(1000);

    const resized = await drawCount(page);
    await dragBy(page, 'text-box-handle-0', -60, 20);
    await waitForDrawAfter(page, resized);

    const keyed = await drawCount(page);
    await page.getByTestId('text-box-1').focus();
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Alt+ArrowLeft');
    await waitForDrawAfter(page, keyed);
    // A narrowed gallery keeps the documentation image small.
    await page.getByTestId('template-search').fill('rack');
    await page.waitForFunction(() => document.querySelectorAll('.gallery__item').length < 5);
    await page.getByTestId('text-box-1').focus();
    await screenshot(page, 'desktop-box-editing');
    await page.screenshot({ path: DOCS_SCREENSHOT });

    expect((await stat(DOCS_SCREENSHOT)).size).toBeLessThan(300_000);

    const spec = await createAndLoad(page);
    expect(spec.template).toBe(TEMPLATE);
    expect(Array.isArray(spec.boxes)).toBe(true);
    const boxes = spec.boxes as { x: number; y: number; width: number; height: number }[];
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(0.02);
      expect(box.x + box.width).toBeLessThanOrEqual(1.0001);
      expect(box.y + box.height).toBeLessThanOrEqual(1.0001);
    }
    await page.close();
  });

  it('adds a text box and draws its caption', async () => {
    const page = await openPage();
    await openTemplate(page, TEMPLATE);
    const count = await page.locator('[data-testid^="caption-"]').count();
    await page.getByTestId('add-box').click();
    await page.getByTestId(`text-box-${String(count)}`).waitFor();
    await rememberPreview(page);
    await setCaption(page, count, 'a brand new caption');
    expect(await changedSinceRemembered(page)).toBeGreaterThan(1000);
    await page.getByTestId(`remove-box-${String(count)}`).click();
    await expect(page.locator('[data-testid^="caption-"]').count()).resolves.toBe(count);
    await page.close();
  });

  it('uploads a picture of its own and makes a meme on it', async () => {
    const page = await openPage();
    await page.getByTestId('background-file').setInputFiles({
      name: 'holiday.jpg',
      mimeType: 'image/jpeg',
      buffer: pictureJpeg,
    });
    await waitForEditorOf(page, 'background:');
    await expect(page.locator('#editor-heading').textContent()).resolves.toBe('Your picture');
    await waitForDrawAfter(page, 0);
    await setCaption(page, 0, 'my own picture');
    await setCaption(page, 1, 'my own captions');
    await screenshot(page, 'desktop-background-upload');
    const spec = await createAndLoad(page);
    expect(typeof spec.background).toBe('string');
    expect(spec.template).toBeUndefined();
    expect(Array.isArray(spec.boxes)).toBe(true);
    await page.close();
  });

  it('adds a custom template with the admin key; the gallery shows it and it makes memes', async () => {
    const page = await openPage();
    await fillTemplateForm(page, E2E_ADMIN_KEY, 'E2E Uploaded Rack');
    await dragBy(page, 'template-text-box-0', 0, 30);
    await page.getByTestId('template-text-box-1').scrollIntoViewIfNeeded();
    await screenshot(page, 'desktop-template-upload');
    await page.getByTestId('create-template').click();
    await waitForEditorOf(page, 'template:e2e-uploaded-rack');
    // The gallery lists it (on whichever page it falls).
    await scrollGalleryTo(page, 'e2e-uploaded-rack');
    await expect(page.locator('#editor-heading').textContent()).resolves.toBe('E2E Uploaded Rack');
    await waitForDrawAfter(page, 0);
    await setCaption(page, 0, 'fresh from the admin panel');
    const spec = await createAndLoad(page);
    expect(spec.template).toBe('e2e-uploaded-rack');
    await expect(page.evaluate(() => sessionStorage.getItem('memelab.adminKey'))).resolves.toBe(E2E_ADMIN_KEY);
    await page.close();
  });

  it('shows the 403 problem for a wrong admin key', async () => {
    const page = await openPage();
    await fillTemplateForm(page, 'not-the-admin-key-at-all', 'Never Added');
    await page.getByTestId('create-template').click();
    const text = await alertText(page);
    expect(text).toContain('ADMIN_KEY_INVALID');
    await page.close();
  });

  it('fits the box editor and upload panels on a phone', async () => {
    const page = await openPage(PHONE);
    await openTemplate(page, TEMPLATE);
    await page.getByTestId('text-box-0').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-box-editing');
    await page.locator('[data-testid="template-upload"] summary').click();
    await page.getByTestId('background-upload').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-upload-panels');
    await page
      .getByTestId('template-file')
      .setInputFiles({ name: 'e2e.jpg', mimeType: 'image/jpeg', buffer: pictureJpeg });
    await page.getByTestId('template-text-box-1').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-template-boxes');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
