import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseMemeSpec, planMeme } from '@memelab/core';
import { MemeRenderer, TemplateCatalog } from '@memelab/render';
import { runTypeScript } from '../apps/cli/src/testing/memelab-process.ts';

/**
 * The pipeline's floor: CPU time (user + system of this process) to lay out, draw and
 * encode one meme of `templateId` with two captions like the load's, from a warm template
 * cache, with nothing around it. A worker cannot spend less on a meme, and the speed of the
 * machine moves it and the pipeline's cost alike, so the pipeline's cost per meme divided
 * by it compares runs of different hours.
 */
export const measureRenderFloorMs = async (templateId: string, batches = 7, memesPerBatch = 40): Promise<number> => {
  const entry = (await TemplateCatalog.load()).get(templateId);
  const renderer = new MemeRenderer();
  const background = { key: `template:${entry.template.id}`, load: () => readFile(entry.imagePath) };
  const render = (index: number) =>
    renderer.render(
      planMeme(
        parseMemeSpec({ template: entry.template.id, captions: ['render floor', `meme number ${index}`] }),
        entry.template,
      ),
      background,
    );
  // The template decode, font registration, the JIT and the encoder's buffers.
  for (let index = 0; index < 30; index++) await render(index);
  // The median batch: a collection of the load generator's large heap, or a neighbour
  // that thrashes the caches, lands in one batch and not in the figure.
  const perMeme: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const before = process.cpuUsage();
    for (let index = 0; index < memesPerBatch; index++) await render(batch * memesPerBatch + index);
    const spent = process.cpuUsage(before);
    perMeme.push((spent.user + spent.system) / 1000 / memesPerBatch);
  }
  return perMeme.sort((a, b) => a - b)[Math.floor(perMeme.length / 2)] ?? 0;
};

/**
 * The floor measured in a process of its own: the load generator's heap, grown over a run,
 * would make every collection the renders' native memory starts dearer (up to twice the
 * CPU per meme).
 */
export const measureRenderFloorMsInChild = async (templateId: string): Promise<number> => {
  const finished = await runTypeScript(fileURLToPath(import.meta.url), [templateId]);
  const floor = Number(/"renderFloorMs":([\d.]+)/.exec(finished.stdout)?.[1]);
  if (finished.code !== 0 || !Number.isFinite(floor)) {
    throw new Error(`measuring the render floor failed (exit code ${finished.code}):\n${finished.stderr}`);
  }
  return floor;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const floor = await measureRenderFloorMs(process.argv[2] ?? 'rack-of-doom');
  process.stdout.write(`${JSON.stringify({ renderFloorMs: Math.round(floor * 100) / 100 })}\n`);
}
