/**
 * Writes every generated observability file (rules, dashboards) from the typed sources in
 * src/. `npm run observability:generate`; the unit tests fail when the committed output
 * differs from what this writes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCatalogue } from './src/catalogue-table.ts';
import { generatedFiles } from './src/generated-files.ts';

const root = dirname(fileURLToPath(import.meta.url));
for (const [path, content] of generatedFiles()) {
  const target = join(root, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}
const docs = join(root, '../../docs/observability.md');
await writeFile(docs, withCatalogue(await readFile(docs, 'utf8')));
console.log(`wrote ${generatedFiles().size} files under deploy/observability`);
