import { describe, expect, it } from 'vitest';
import { assertLoopbackTarget, isLoopbackAddress, RemoteTargetError } from './loopback-target.ts';

describe('loopback target guard', () => {
  it.each(['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])('accepts %s', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each(['10.0.0.1', '192.168.1.10', '128.0.0.1', '::2', 'fe80::1', '0.0.0.0'])('refuses %s', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });

  it('accepts localhost and loopback URLs', async () => {
    await expect(assertLoopbackTarget(new URL('http://localhost:8080/'))).resolves.toBeUndefined();
    await expect(assertLoopbackTarget(new URL('http://[::1]:8080/'))).resolves.toBeUndefined();
  });

  it('refuses a private-range URL and says how to allow it', async () => {
    await expect(assertLoopbackTarget(new URL('http://192.168.1.20:8080/'))).rejects.toThrow(RemoteTargetError);
    await expect(assertLoopbackTarget(new URL('http://192.168.1.20:8080/'))).rejects.toThrow('--allow-remote');
  });
});
