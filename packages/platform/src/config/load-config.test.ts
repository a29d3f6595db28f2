import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envBoolean, envInt, envPort, envUrl, loadConfig } from './load-config.ts';

const schema = z.object({
  PORT: envPort(8080),
  WORKERS: envInt(2, { min: 1, max: 64 }),
  VERBOSE: envBoolean(false),
  DATABASE_URL: envUrl(['postgres', 'postgresql']),
});

describe('loadConfig', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({ PORT: 8080, WORKERS: 2, VERBOSE: false, DATABASE_URL: undefined });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses values and treats empty strings as unset', () => {
    expect(loadConfig(schema, { PORT: '3000', WORKERS: '', VERBOSE: 'Yes', DATABASE_URL: 'postgres://db/x' })).toEqual({
      PORT: 3000,
      WORKERS: 2,
      VERBOSE: true,
      DATABASE_URL: 'postgres://db/x',
    });
  });

  it('reports every bad variable at once, with the value it got', () => {
    try {
      loadConfig(schema, { PORT: '70000', WORKERS: 'many', VERBOSE: 'maybe', DATABASE_URL: 'mysql://x' });
      expect.unreachable('loadConfig should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(4);
      expect(problems).toContain('PORT: expected at most 65535 (got "70000")');
      expect(problems.join('\n')).toMatch(/WORKERS: .*\(got "many"\)/);
      expect(problems).toContain('VERBOSE: expected true or false (got "maybe")');
      expect(problems).toContain('DATABASE_URL: expected a postgres or postgresql URL (got "mysql://x")');
      expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- /);
    }
  });
});
