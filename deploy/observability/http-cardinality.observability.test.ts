import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../apps/api/src/testing/test-stack.ts';

/** Series of the HTTP metrics in a /metrics text, one per line that is not a comment. */
const httpSeries = (text: string): string[] =>
  text.split('\n').filter((line) => line.startsWith('memelab_http_') && !line.startsWith('#'));

const randomPart = (): string => randomBytes(6).toString('hex');

/** One URL of each kind whose path holds something a client chose. */
const distinctUrls = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => {
    const part = randomPart();
    switch (i % 5) {
      case 0:
        return `/api/memes/${part}`;
      case 1:
        return `/m/${part}.jpg`;
      case 2:
        return `/api/templates/${part}`;
      case 3:
        return `/images/no-such-template-${part}/top/bottom.jpg`;
      default:
        return `/no/such/path/${part}?q=${randomPart()}`;
    }
  });

describe('HTTP metrics', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const drive = async (urls: readonly string[]): Promise<number[]> => {
    const statuses: number[] = [];
    // Ten at a time: enough to be quick, few enough for a shared 2-core machine.
    for (let i = 0; i < urls.length; i += 10) {
      const batch = urls.slice(i, i + 10).map(async (url) => {
        const response = await fetch(`${stack.baseUrl}${url}`);
        await response.arrayBuffer();
        return response.status;
      });
      statuses.push(...(await Promise.all(batch)));
    }
    return statuses;
  };
  const scrape = async (): Promise<string> => (await fetch(`${stack.baseUrl}/metrics`)).text();

  it('keep the same series over 1,000 more distinct URLs: routes are templates, never paths', async () => {
    // The first thousand reach every route and status these URLs can give (404s, the
    // memegen route's 429 once its rate limit is hit); the second thousand add no series.
    await scrape();
    await drive(distinctUrls(1_000));
    const before = httpSeries(await scrape());
    const statuses = await drive(distinctUrls(1_000));
    const after = httpSeries(await scrape());

    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
    const added = after.filter(
      (line) => !before.some((old) => old.replace(/ [^ ]+$/, '') === line.replace(/ [^ ]+$/, '')),
    );
    expect(added).toEqual([]);
    expect(after.length).toBe(before.length);
    const names = (lines: string[]) => lines.map((line) => line.replace(/ [^ ]+$/, ''));
    expect(new Set(names(after))).toEqual(new Set(names(before)));
    expect(after.join('\n')).toContain('route="/api/memes/:id"');
    expect(after.join('\n')).toContain('route="unmatched"');
    expect(after.join('\n')).not.toMatch(/no-such-template|\/no\/such\/path/);
  });

  it('count requests in flight and drop back once they are answered', async () => {
    await drive(['/healthz']);
    const inFlight = /^memelab_http_requests_in_flight(?:\{[^}]*\})? (\d+)$/m.exec(await scrape());
    // The scrape itself is the one request in flight.
    expect(inFlight?.[1]).toBe('1');
  });
});
