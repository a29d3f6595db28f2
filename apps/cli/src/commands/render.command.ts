import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError, FONT_IDS, OUTPUT_FORMATS, TEXT_CASES } from '@memelab/core';
import { MemeRenderer, TemplateCatalog } from '@memelab/render';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { renderLocally } from './render.service.ts';

interface RenderOptions {
  template?: string;
  background?: string;
  text: string[];
  format?: string;
  out: string;
  width?: number;
  height?: number;
  font?: string;
  color?: string;
  outlineColor?: string;
  case?: string;
  templatesDir?: string;
}

const positiveInt = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a whole number of pixels');
  return parsed;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--format` wins; otherwise the output file's extension decides; otherwise JPEG. */
const formatFor = (options: RenderOptions): string => {
  if (options.format !== undefined) return options.format;
  const extension = extname(options.out).slice(1).toLowerCase();
  return extension === 'jpeg' || (OUTPUT_FORMATS as readonly string[]).includes(extension) ? extension : 'jpg';
};

const styleFor = (options: RenderOptions): Record<string, string> | undefined => {
  const style = Object.fromEntries(
    Object.entries({
      font: options.font,
      color: options.color,
      outlineColor: options.outlineColor,
      case: options.case,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return Object.keys(style).length === 0 ? undefined : style;
};

export const registerRenderCommand = (program: Command): void => {
  program
    .command('render')
    .description('Render one meme on this machine and write it to a file.')
    .addOption(
      new Option('-t, --template <id>', 'a bundled template id (see `memelab templates`)').conflicts('background'),
    )
    .addOption(new Option('-b, --background <file>', 'an image file to caption instead of a template'))
    .option('--text <caption>', 'a caption, once per text box, in order (repeatable)', collect, [])
    .requiredOption('-o, --out <file>', 'where to write the image')
    .addOption(
      new Option('-f, --format <format>', 'output format (default: from --out, else jpg)').choices([
        ...OUTPUT_FORMATS,
        'jpeg',
      ]),
    )
    .option('--width <px>', 'output width in pixels', positiveInt)
    .option('--height <px>', 'output height in pixels', positiveInt)
    .addOption(new Option('--font <font>', 'caption font').choices([...FONT_IDS]))
    .option('--color <color>', 'text colour, e.g. white or #ffcc00')
    .option('--outline-color <color>', 'outline colour')
    .addOption(new Option('--case <case>', 'letter case').choices([...TEXT_CASES]))
    .option('--templates-dir <dir>', 'read templates from this directory instead of the bundled ones')
    .action(async (options: RenderOptions) => {
      if (options.template === undefined && options.background === undefined) {
        throw new AppError(
          'MISSING_BACKGROUND',
          'Give a template with --template ID or an image with --background FILE.',
          {
            status: 400,
          },
        );
      }
      const started = performance.now();
      const catalog = await TemplateCatalog.load(options.templatesDir);
      const result = await renderLocally(
        {
          ...(options.template === undefined ? {} : { template: options.template }),
          ...(options.background === undefined ? {} : { backgroundFile: options.background }),
          captions: options.text,
          format: formatFor(options),
          ...(options.width === undefined ? {} : { width: options.width }),
          ...(options.height === undefined ? {} : { height: options.height }),
          ...(styleFor(options) === undefined ? {} : { style: styleFor(options) }),
        },
        { catalog, renderer: new MemeRenderer() },
      );
      await writeFile(options.out, result.bytes);
      const elapsed = Math.round(performance.now() - started);
      process.stdout.write(
        `wrote ${options.out} (${result.width}x${result.height}, ${result.bytes.byteLength} bytes, meme id ${result.id}) in ${elapsed} ms\n`,
      );
    });
};
