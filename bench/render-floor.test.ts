import { describe, expect, it } from 'vitest';
import { measureRenderFloorMs } from './render-floor.ts';

describe('the render floor of the pipeline benchmark', () => {
  it('is the CPU time of drawing and encoding one meme of a bundled template', async () => {
    const floor = await measureRenderFloorMs('rack-of-doom', 3, 4);

    expect(floor).toBeGreaterThan(0);
    // Drawing and encoding a 600 x 720 JPEG takes milliseconds, not seconds.
    expect(floor).toBeLessThan(1000);
  });

  it('names a template that does not exist', async () => {
    await expect(measureRenderFloorMs('no-such-template', 1, 1)).rejects.toThrow(
      /There is no template "no-such-template"/,
    );
  });
});
