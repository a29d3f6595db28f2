/**
 * Render benchmark: the standard workload on one thread.
 *
 *   npm run bench:render [-- --background FILE --memes N]
 *
 * Prints one JSON line: msPerMeme (layout + draw + JPEG encode of one meme with a warm
 * template cache), encodeFloorMs (a JPEG encode of the same background with no text,
 * measured in the same run) and their ratio. Progress goes to stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseMemeSpec, planMeme } from '@memelab/core';
import { DEFAULT_QUALITY, encodeCanvas, JPEG_ENCODER, MemeRenderer } from '@memelab/render';
import { syntheticBackground } from '@memelab/render/testing';
import { createCanvas, loadImage } from '@napi-rs/canvas';

const { values } = parseArgs({
  options: {
    background: { type: 'string' },
    memes: { type: 'string', default: '400' },
  },
});
const memes = Number(values.memes);
if (!Number.isInteger(memes) || memes < 10) {
  process.stderr.write('--memes must be a whole number of at least 10\n');
  process.exit(2);
}

const EDGE = 600;

/** A photo-like JPEG: smooth gradients plus noise, the hardest kind of image for JPEG. */
const standardBackground = async (): Promise<Buffer> => {
  const canvas = createCanvas(EDGE, EDGE);
  canvas.getContext('2d').drawImage(await loadImage(Buffer.from(syntheticBackground(EDGE, EDGE, 42))), 0, 0);
  return canvas.encode('jpeg', 92);
};

const backgroundBytes =
  values.background === undefined ? await standardBackground() : await readFile(values.background);
const decoded = await loadImage(backgroundBytes);

const spec = parseMemeSpec({
  background: 'b'.repeat(24),
  boxes: [
    { x: 0.03, y: 0.02, width: 0.94, height: 0.22, verticalAlign: 'top' },
    { x: 0.03, y: 0.76, width: 0.94, height: 0.22, verticalAlign: 'bottom' },
  ],
  captions: ['one does not simply', 'walk into mordor without a load test first'],
  style: { case: 'upper', outlineRatio: 0.1 },
  format: 'jpg',
});
const plan = planMeme(spec, { width: decoded.width, height: decoded.height, textBoxes: [] });
const renderer = new MemeRenderer({ quality: DEFAULT_QUALITY });
const source = { key: 'bench-background', load: async () => backgroundBytes };

const floorCanvas = createCanvas(decoded.width, decoded.height);
floorCanvas.getContext('2d').drawImage(decoded, 0, 0);

const timeRender = async (): Promise<number> => {
  const started = performance.now();
  await renderer.render(plan, source);
  return performance.now() - started;
};
const timeFloor = async (): Promise<number> => {
  const started = performance.now();
  await encodeCanvas(floorCanvas, 'jpg', DEFAULT_QUALITY);
  return performance.now() - started;
};

// Warm up: font registration, the template decode, the JIT and the encoder.
for (let index = 0; index < 30; index++) {
  await timeRender();
  await timeFloor();
}

// Alternate the two measurements in small batches so that drift (CPU frequency, other
// load) affects both alike.
let renderTotal = 0;
let floorTotal = 0;
const BATCH = 10;
for (let done = 0; done < memes; done += BATCH) {
  for (let index = 0; index < BATCH; index++) renderTotal += await timeRender();
  for (let index = 0; index < BATCH; index++) floorTotal += await timeFloor();
  if (done % 100 === 0) process.stderr.write(`rendered ${done + BATCH}/${memes}\n`);
}
const measured = Math.ceil(memes / BATCH) * BATCH;
const msPerMeme = renderTotal / measured;
const encodeFloorMs = floorTotal / measured;
const round = (value: number): number => Math.round(value * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({ msPerMeme: round(msPerMeme), encodeFloorMs: round(encodeFloorMs), ratio: round(msPerMeme / encodeFloorMs), memes: measured, jpegEncoder: JPEG_ENCODER })}\n`,
);
