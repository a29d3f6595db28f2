import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withCorrelationId } from './correlation-context.ts';
import { createLogger, defaultLogFormat } from './logger.ts';

/** Collects what a logger writes. */
const capture = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour sequences are what is looked for.
const ANSI = /\u001b\[[0-9;]*m/;

describe('createLogger', () => {
  it('writes one JSON object per line with the level label, service and message', () => {
    const out = capture();
    const logger = createLogger({ name: 'memelab-test', destination: out.stream, format: 'json' });
    logger.info({ memeId: 'abc' }, 'meme accepted');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', service: 'memelab-test', memeId: 'abc', msg: 'meme accepted' });
    expect(typeof line.time).toBe('string');
  });

  it('names the tenant on every line when given one', () => {
    const out = capture();
    const logger = createLogger({
      name: 'healthcare-api',
      tenant: 'healthcare',
      destination: out.stream,
      format: 'json',
    });
    logger.child({ module: 'http' }).info('request');
    expect(JSON.parse(out.text().trim())).toMatchObject({
      service: 'healthcare-api',
      tenant: 'healthcare',
      module: 'http',
    });
  });

  it('writes human-readable lines in pretty format, with the fields on the same line', () => {
    const out = capture();
    const logger = createLogger({ name: 'memelab-test', destination: out.stream, format: 'pretty', colorize: false });
    logger.warn({ memeId: 'abc' }, 'render slow');
    const text = out.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN \(memelab-test\): render slow .*"memeId":"abc"/);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).not.toMatch(ANSI);
  });

  it('colours pretty lines when asked', () => {
    const out = capture();
    const logger = createLogger({ name: 'memelab-test', destination: out.stream, format: 'pretty', colorize: true });
    logger.error('store down');
    expect(out.text()).toMatch(ANSI);
    expect(out.text()).toContain('store down');
  });

  it.each(['json', 'pretty'] as const)('carries the correlation id and redacts secrets in %s format', (format) => {
    const out = capture();
    const logger = createLogger({ name: 'memelab-test', destination: out.stream, format, colorize: false });
    withCorrelationId('corr-123', () => logger.info({ config: { ADMIN_API_KEY: 'super-secret-key' } }, 'config'));
    expect(out.text()).toContain('corr-123');
    expect(out.text()).toContain('[redacted]');
    expect(out.text()).not.toContain('super-secret-key');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ name: 'memelab-test', level: 'warn', destination: out.stream, format: 'pretty' });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.text()).not.toContain('hidden');
    expect(out.text()).toContain('shown');
  });
});

describe('defaultLogFormat', () => {
  it('is pretty for a terminal and JSON for a pipe, a file or a container runtime', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });
});
