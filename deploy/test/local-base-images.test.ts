import { describe, expect, it } from 'vitest';
import { assertBaseImageSources } from './local-base-images.ts';

describe('the local base images', () => {
  it('name the Debian packages to install when their source files are missing', async () => {
    await expect(
      assertBaseImageSources({ 'busybox-static': '/nonexistent/busybox', 'nginx-light': process.execPath }),
    ).rejects.toThrow(/busybox-static, which is not installed: apt-get install -y busybox-static \(/);
    await expect(
      assertBaseImageSources({ 'busybox-static': '/nonexistent/busybox', 'nginx-light': '/nonexistent/nginx' }),
    ).rejects.toThrow('apt-get install -y busybox-static nginx-light');
  });

  it('go ahead when every source file is there', async () => {
    await expect(assertBaseImageSources({ node: process.execPath })).resolves.toBeUndefined();
  });
});
