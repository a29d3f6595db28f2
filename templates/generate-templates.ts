/**
 * Draws memelab's bundled meme templates and writes `templates/<id>/{image.jpg,template.json}`.
 *
 * All art is original and procedural (gradients, shapes and blob characters), so the whole
 * set can be published as CC0-1.0 with no third-party photographs or characters. Every
 * template draws from its own PRNG seeded by its id: reruns reproduce the same bytes, and
 * adding or reordering templates never changes the others.
 *
 * The art lives in `scripts/template-art/`: `kit/` is the drawing kit (random numbers, canvas
 * primitives, scenery, characters, props, text box layouts) and `templates/` holds one module
 * per template with its metadata, text boxes and `draw(scene)`. This file only renders and
 * writes them.
 *
 * Run with `npm run templates:generate` (or `npx tsx templates/generate-templates.ts`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { type TemplateInput, templateSchema } from '../packages/core/src/index.ts';
import type { Scene } from '../scripts/template-art/kit/canvas.ts';
import { hashSeed, mulberry32 } from '../scripts/template-art/kit/random.ts';
import type { TemplateDefinition } from '../scripts/template-art/kit/template-definition.ts';
import { TEMPLATES } from '../scripts/template-art/templates/index.ts';

const TEMPLATES_DIR = dirname(fileURLToPath(import.meta.url));
const JPEG_QUALITY = 82;
/** Templates ship in the repository and the image; this keeps the whole set small. */
const MAX_IMAGE_BYTES = 90 * 1024;
const SOURCE = { author: 'memelab contributors', licence: 'CC0-1.0' } as const;

export const buildConfig = (template: TemplateDefinition): TemplateInput => ({
  id: template.id,
  name: template.name,
  keywords: [...template.keywords],
  source: { ...SOURCE },
  image: 'image.jpg',
  width: template.width,
  height: template.height,
  textBoxes: [...template.textBoxes],
  example: [...template.example],
});

/** The schema cannot see these, but the gallery and tests rely on them. */
const checkDefinition = (template: TemplateDefinition): void => {
  if (template.example.length !== template.textBoxes.length) {
    throw new Error(`${template.id}: ${template.example.length} examples for ${template.textBoxes.length} text boxes`);
  }
  for (const edge of [template.width, template.height]) {
    if (edge < 500 || edge > 800) throw new Error(`${template.id}: edges must be 500-800 px, got ${edge}`);
  }
};

export const renderImage = async (template: TemplateDefinition): Promise<Buffer> => {
  const canvas = createCanvas(template.width, template.height);
  const scene: Scene = {
    ctx: canvas.getContext('2d'),
    w: template.width,
    h: template.height,
    rng: mulberry32(hashSeed(template.id)),
  };
  template.draw(scene);
  const image = await canvas.encode('jpeg', JPEG_QUALITY);
  if (image.length > MAX_IMAGE_BYTES) {
    throw new Error(`${template.id}: image is ${image.length} bytes, over the ${MAX_IMAGE_BYTES} byte budget`);
  }
  return image;
};

const writeTemplate = async (template: TemplateDefinition): Promise<void> => {
  checkDefinition(template);
  const config = buildConfig(template);
  templateSchema.parse(config);
  const image = await renderImage(template);
  const folder = join(TEMPLATES_DIR, template.id);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'image.jpg'), image);
  await writeFile(join(folder, 'template.json'), `${JSON.stringify(config, null, 2)}\n`);
  const kib = (image.length / 1024).toFixed(1);
  console.log(`wrote templates/${template.id} (${template.layout}, ${template.width}x${template.height}, ${kib} KiB)`);
};

const main = async (): Promise<void> => {
  const ids = new Set<string>();
  for (const template of TEMPLATES) {
    if (ids.has(template.id)) throw new Error(`duplicate template id ${template.id}`);
    ids.add(template.id);
    await writeTemplate(template);
  }
  console.log(`${TEMPLATES.length} templates written to ${TEMPLATES_DIR}`);
};

// Runs when executed (npm run templates:generate), not when a test imports the functions above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
