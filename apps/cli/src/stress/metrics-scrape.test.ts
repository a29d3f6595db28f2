import { describe, expect, it } from 'vitest';
import { sumSamples } from './metrics-scrape.ts';

const EXPOSITION = `# HELP memelab_queue_depth Jobs waiting.
# TYPE memelab_queue_depth gauge
memelab_queue_depth{queue="render"} 12
memelab_queue_depth{queue="retry"} 3
memelab_queue_depth_max 99
memelab_queue_depthless 7
`;

describe('sumSamples', () => {
  it('adds a metric over its label sets and ignores metrics that share its prefix', () => {
    expect(sumSamples(EXPOSITION, 'memelab_queue_depth')).toBe(15);
  });

  it('reads a metric without labels', () => {
    expect(sumSamples(EXPOSITION, 'memelab_queue_depth_max')).toBe(99);
  });

  it('is undefined for an absent metric', () => {
    expect(sumSamples(EXPOSITION, 'memelab_nothing')).toBeUndefined();
  });
});
