/**
 * Builds what the healthcare-api image runs: `dist/healthcare/healthcare-api.mjs`, one ES
 * module with all workspace code inlined, and `dist/healthcare/migrations/` beside it (the
 * clinic's migrations, found relative to the bundle). Third-party packages stay external
 * and come from the image's production node_modules: some serve static files from their
 * own package directory (Swagger UI), which a bundle would break.
 *
 * Usage: npx tsx scripts/bundle-healthcare.ts [--out DIR]
 */
import { cp, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const ROOT_NODE_MODULES = join(ROOT, 'node_modules') + sep;
const RESOLVING = Symbol('resolving');

/**
 * Workspace code is inlined; a third-party package stays external when it resolves to the
 * top-level node_modules, which is what the image ships. One that resolves to a workspace's
 * own nested node_modules (a version other than the hoisted one, like commander) is inlined,
 * since the image's flat node_modules would hand the bundle the other version.
 */
const keepHoistedPackagesExternal: Plugin = {
  name: 'keep-hoisted-packages-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING || args.path.startsWith('@memelab/') || args.path.startsWith('node:')) {
        return undefined;
      }
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0) return { path: args.path, external: true };
      return resolved.path.startsWith(ROOT_NODE_MODULES) ? { path: args.path, external: true } : undefined;
    });
  },
};

const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'dist/healthcare') } } });
const outDir = resolve(values.out ?? '');
await rm(outDir, { recursive: true, force: true });
const outfile = join(outDir, 'healthcare-api.mjs');
await build({
  entryPoints: [join(ROOT, 'apps/healthcare-api/src/healthcare.main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [keepHoistedPackagesExternal],
  logLevel: 'warning',
  // Inlined CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as createBundleRequire } from 'node:module';\nconst require = createBundleRequire(import.meta.url);",
  },
});
await cp(join(ROOT, 'packages/clinic/src/migrations'), join(outDir, 'migrations'), { recursive: true });
process.stdout.write(`healthcare bundle: ${outfile} (${((await stat(outfile)).size / 1024).toFixed(0)} KiB)\n`);
