/**
 * Renders memes one after another as a worker does, for garbage-collection.integration.test.ts,
 * which runs it under `--trace-gc`; with `--worker-flags` it first applies the worker's V8 flags.
 */
import { parseMemeSpec, planMeme } from '@memelab/core';
import { MemeRenderer } from '@memelab/render';
import { backgroundOf, syntheticBackground } from '@memelab/render/testing';
import { applyWorkerV8Flags } from './garbage-collection.ts';

if (process.argv.includes('--worker-flags')) applyWorkerV8Flags();

const EDGE = 600;
const RENDERS = 400;
const spec = parseMemeSpec({
  background: 'b'.repeat(24),
  boxes: [{ x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top' }],
  captions: ['one does not simply collect garbage'],
  format: 'jpg',
});
const plan = planMeme(spec, { width: EDGE, height: EDGE, textBoxes: [] });
const renderer = new MemeRenderer();
const source = backgroundOf('gc-fixture', syntheticBackground(EDGE, EDGE));
for (let index = 0; index < RENDERS; index++) await renderer.render(plan, source);
