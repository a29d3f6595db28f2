import { TemplateCatalog } from '@memelab/render';
import type { Command } from 'commander';

export const registerTemplatesCommand = (program: Command): void => {
  program
    .command('templates')
    .description('List the bundled meme templates.')
    .option('--json', 'print the full template configs as JSON')
    .option('--templates-dir <dir>', 'read templates from this directory instead of the bundled ones')
    .action(async (options: { json?: boolean; templatesDir?: string }) => {
      const templates = (await TemplateCatalog.load(options.templatesDir)).list();
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(templates, null, 2)}\n`);
        return;
      }
      const width = Math.max(...templates.map((template) => template.id.length));
      for (const template of templates) {
        process.stdout.write(
          `${template.id.padEnd(width)}  ${template.textBoxes.length} box${template.textBoxes.length === 1 ? ' ' : 'es'}  ${template.name}\n`,
        );
      }
    });
};
