import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { type MemelabServer, startMemelabServer } from './memelab-server.ts';
import { DESKTOP, openPageIn, PHONE, RESULTS_DIR, screenshot, waitForDrawAfter } from './page-helpers.ts';

/** The rules axe-core checks: WCAG 2.x A and AA, plus its best practices (landmarks, headings). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly unknown[] }>;
}

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: MemelabServer;
let browser: TestBrowser;

beforeAll(async () => {
  await mkdir(RESULTS_DIR, { recursive: true });
  server = await startMemelabServer();
  browser = await launchBrowser(server.baseUrl);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const openPage = (viewport = DESKTOP): Promise<Page> => openPageIn(browser, viewport);

/** Runs axe-core in the page and returns its violations in a form that reads well in a failure. */
const axeViolations = async (page: Page): Promise<string[]> => {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    const axe = Reflect.get(window, 'axe') as {
      run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }>;
    };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations;
  }, AXE_TAGS);
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} at ${violation.nodes
        .map((node) => JSON.stringify(node.target))
        .join(', ')}`,
  );
};

/** The editor as the page opens it, once its preview is drawn. */
const waitForOpenedEditor = async (page: Page): Promise<string> => {
  const editor = page.locator('[data-testid="editor"][data-subject^="template:"]');
  await editor.waitFor();
  await waitForDrawAfter(page, 0);
  return (await editor.getAttribute('data-subject')) ?? '';
};

const createMeme = async (template: string, captions: readonly string[]): Promise<{ id: string }> => {
  const response = await fetch(`${server.baseUrl}/api/memes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template, captions }),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { id: string };
};

describe('the page for a person', () => {
  it('opens the editor on a template with its preview drawn', async () => {
    const page = await openPage();
    const subject = await waitForOpenedEditor(page);
    const firstTemplate = await page.locator('.gallery__item').first().getAttribute('data-template-id');
    expect(subject).toBe(`template:${firstTemplate ?? ''}`);
    await expect(page.locator('.gallery__item').first().getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('caption-0').inputValue()).resolves.not.toBe('');
    // Drawn: the canvas holds more than one colour, so the template and its example captions are there.
    const colours = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="preview-canvas"]');
      const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let index = 0; data !== undefined && index < data.length && seen.size < 100; index += 400) {
        seen.add(((data[index] ?? 0) << 16) | ((data[index + 1] ?? 0) << 8) | (data[index + 2] ?? 0));
      }
      return seen.size;
    });
    expect(colours).toBeGreaterThan(20);
    await screenshot(page, 'desktop-first-load');
    await page.close();
  });

  it('has a favicon, and loading the page asks for nothing that is missing', async () => {
    const context = browser.context;
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${String(response.status())} ${response.url()}`);
    });
    await page.goto('/');
    await waitForOpenedEditor(page);
    const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(icon).not.toBeNull();
    for (const path of [icon ?? '', '/favicon.ico']) {
      const response = await fetch(new URL(path, server.baseUrl));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^image\//);
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
    expect(failed).toEqual([]);
    await page.close();
  });

  it('pages the gallery past the first screen, by scrolling and by keyboard', async () => {
    const total = ((await (await fetch(`${server.baseUrl}/api/templates?limit=1`)).json()) as { total: number }).total;
    const page = await openPage();
    const items = page.locator('.gallery__item');
    const first = await items.count();
    expect(first).toBeLessThan(total);
    await expect(page.getByTestId('template-count').textContent()).resolves.toBe(`${String(first)} of ${total}`);
    // Scrolling the gallery to its end loads the next page.
    await page.getByTestId('gallery-scroller').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await page.waitForFunction((count) => document.querySelectorAll('.gallery__item').length > count, first);
    const ids = await items.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-template-id')));
    expect(new Set(ids).size).toBe(ids.length);
    await page.waitForFunction(
      (all) =>
        document.querySelectorAll('.gallery__item').length === all &&
        !document.querySelector('[data-testid="gallery-more"]'),
      total,
    );
    // A search pages the same way; the button works from the keyboard.
    await page.close();
    const keyboardPage = await browser.context.newPage();
    await keyboardPage.setViewportSize(DESKTOP);
    // IntersectionObserver is taken away so only the button can load the next page.
    await keyboardPage.addInitScript(() => Reflect.deleteProperty(window, 'IntersectionObserver'));
    await keyboardPage.goto('/');
    await keyboardPage.locator('.gallery__item').first().waitFor();
    const more = keyboardPage.getByTestId('gallery-more');
    await more.focus();
    await keyboardPage.keyboard.press('Enter');
    await keyboardPage.waitForFunction((count) => document.querySelectorAll('.gallery__item').length > count, first);
    await keyboardPage.close();
  });

  it('shows each meme in the live feed whole, in its own shape', async () => {
    // Templates of three shapes: tall, wide and four-panel.
    const memes = [
      await createMeme('rack-of-doom', ['whole', 'meme']),
      await createMeme('this-is-fine-datacenter', ['not', 'cropped']),
      await createMeme('galaxy-brain-bulb', ['a', 'b', 'c', 'd']),
    ];
    const page = await openPage();
    for (const meme of memes) await page.locator(`[data-meme-id="${meme.id}"] img`).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="feed"] img')].every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    await page.getByTestId('feed').scrollIntoViewIfNeeded();
    await screenshot(page, 'desktop-feed');
    const shapes = await page.locator('[data-testid="feed"] img').evaluateAll((images) =>
      (images as HTMLImageElement[]).map((img) => ({
        fit: getComputedStyle(img).objectFit,
        natural: img.naturalWidth / img.naturalHeight,
        shown: img.clientWidth / img.clientHeight,
      })),
    );
    expect(shapes.length).toBeGreaterThanOrEqual(memes.length);
    // A screen reader hears the captions.
    await expect(page.locator(`[data-meme-id="${memes[0]?.id ?? ''}"] img`).getAttribute('alt')).resolves.toBe(
      'Meme on rack-of-doom: whole / meme',
    );
    for (const shape of shapes) {
      expect(shape.fit).not.toBe('cover');
      expect(Math.abs(shape.shown - shape.natural)).toBeLessThan(0.02);
    }
    await page.close();
  });
});

describe('keyboard and screen readers', () => {
  it.each([
    ['desktop, light', DESKTOP, 'light'],
    ['phone, dark', PHONE, 'dark'],
  ] as const)('has no axe-core violations with the editor open (%s)', async (_name, viewport, colorScheme) => {
    const page = await openPage(viewport);
    await page.emulateMedia({ colorScheme });
    await waitForOpenedEditor(page);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('the axe-core check fails on a page with an unlabelled field and an image without alt', async () => {
    // Guards the checks above against passing because axe never ran.
    const page = await openPage();
    await page.evaluate(() => {
      const main = document.querySelector('main');
      main?.insertAdjacentHTML('beforeend', '<input type="text" data-broken><img src="/favicon.svg" data-broken>');
    });
    const violations = await axeViolations(page);
    expect(violations.some((line) => line.startsWith('label'))).toBe(true);
    expect(violations.some((line) => line.startsWith('image-alt'))).toBe(true);
    await page.close();
  });

  it('has no axe-core violations with the admin form open and a meme made', async () => {
    const page = await openPage();
    await waitForOpenedEditor(page);
    await page.locator('[data-testid="template-upload"] summary').click();
    await page.getByTestId('create-meme').click();
    await page.locator('[data-testid="meme-result"][data-status="done"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('gives every image a text alternative and every control a name', async () => {
    const page = await openPage();
    await waitForOpenedEditor(page);
    const unnamed = await page.evaluate(() => {
      const problems: string[] = [];
      for (const img of document.querySelectorAll('img')) {
        // Decorative images say so with alt=""; their button or link carries the name.
        if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
      }
      for (const control of document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]')) {
        const labelled =
          (control as HTMLInputElement).labels?.length ||
          control.getAttribute('aria-label') ||
          control.getAttribute('aria-labelledby') ||
          control.textContent?.trim() ||
          // A link or button around a picture is named by the picture's alt text.
          [...control.querySelectorAll('img')].some((img) => (img.getAttribute('alt') ?? '') !== '');
        if (!labelled) problems.push(`unnamed ${control.tagName.toLowerCase()} ${control.outerHTML.slice(0, 80)}`);
      }
      return problems;
    });
    expect(unnamed).toEqual([]);
    await page.close();
  });

  it('moves focus in reading order: skip link, header, search, gallery, then the editor', async () => {
    const page = await openPage();
    await waitForOpenedEditor(page);
    const focused = async () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element?.getAttribute('data-testid') ?? element?.className ?? element?.tagName ?? '';
      });
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('skip-link');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('API docs');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('template-search');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('gallery__item');

    // The skip link takes a keyboard user straight to the editor.
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('editor');
    await page.keyboard.press('Tab');
    const inEditor = await page.evaluate(() => document.activeElement?.closest('[data-testid="editor"]') != null);
    expect(inEditor).toBe(true);
    await page.close();
  });
});
