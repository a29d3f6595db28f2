/**
 * Builds the server that the container images run: `dist/server/memelab.mjs`, the ES
 * module of the memelab command (every role: api, worker, migrate, start, render) with all
 * workspace code inlined, plus the files it ships with beside it:
 *
 *   dist/server/memelab.mjs(.map)   the bundle, run with `node --enable-source-maps`
 *   dist/server/chunks/             the parts of it that load on import() (a command's own modules)
 *   dist/server/migrations/         database migrations
 *   dist/server/pglite-initdb.tar.br  the embedded database's initdb snapshot
 *   dist/server/templates/          bundled meme templates (config + image only)
 *   dist/server/fonts/<package>/    only the font files the renderer registers
 *
 * Third-party packages stay external and come from a production `node_modules`: several
 * load native addons, WebAssembly or static files relative to their own package, which a
 * bundle would break. The build fails when the bundle imports a package that no
 * workspace lists under `dependencies`, since an image would not have it.
 *
 * Usage: npm run build:server [-- --out DIR]
 */
import { copyFile, cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { BUNDLED_FONTS, fontFilesDirectory, isRegisteredFontFile } from '../packages/render/src/fonts/bundled-fonts.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'apps/cli/src/main.ts');
const MIGRATIONS_DIR = join(ROOT, 'packages/adapters/src/db/migrations');
const PGLITE_SNAPSHOT = join(ROOT, 'packages/adapters/src/db/pglite-initdb.tar.br');
const TEMPLATES_DIR = join(ROOT, 'templates');
const WORKSPACE_SCOPE = '@memelab/';

export interface ServerBundle {
  readonly outDir: string;
  readonly bundleBytes: number;
  readonly externals: readonly string[];
  readonly templates: number;
  readonly fontFiles: number;
}

const ROOT_NODE_MODULES = join(ROOT, 'node_modules') + sep;

/**
 * Plain JavaScript packages that load many small files and read none at run time: inlined,
 * because resolving, reading and wrapping a few hundred CommonJS files costs a starting
 * process more than running them. The S3 client alone is ~150 files. Not pg: tracing
 * instruments it by hooking its `require`, which an inlined copy never passes through.
 */
const INLINED = [/^@aws-sdk\//, /^@smithy\//, /^@aws-crypto\//, /^amqplib$/, /^zod$/];
const RESOLVING = Symbol('resolving');

/**
 * Workspace code (@memelab/*) is inlined; a third-party package stays external when it
 * resolves to the top-level node_modules, which is what the image ships. A package that
 * resolves to a workspace's own nested node_modules (a version that differs from the
 * hoisted one) is inlined instead, since the image's flat node_modules would hand the
 * bundle the other version.
 */
const keepHoistedPackagesExternal: Plugin = {
  name: 'keep-hoisted-packages-external',
  setup(builder) {
    const inlined = new Set<string>();
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING || args.path.startsWith(WORKSPACE_SCOPE) || isBuiltin(args.path)) {
        return undefined;
      }
      const name = packageNameOf(args.path);
      // An inlined package's own dependencies are inlined with it.
      if (INLINED.some((pattern) => pattern.test(name)) || inlined.has(packageOfFile(args.importer))) {
        inlined.add(name);
        return undefined;
      }
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0) return undefined;
      return resolved.path.startsWith(ROOT_NODE_MODULES) ? { path: args.path, external: true } : undefined;
    });
  },
};

/** The package a file in node_modules belongs to ('' for a file outside node_modules). */
const packageOfFile = (file: string): string => {
  const index = file.lastIndexOf(`${sep}node_modules${sep}`);
  return index < 0
    ? ''
    : packageNameOf(
        file
          .slice(index + '/node_modules/'.length)
          .split(sep)
          .join('/'),
      );
};

const packageNameOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
};

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(packageNameOf(specifier));

/** Every package listed under `dependencies` by the root or a workspace. */
const productionDependencies = async (): Promise<Set<string>> => {
  const manifests = [join(ROOT, 'package.json')];
  for (const group of ['packages', 'apps']) {
    for (const entry of await readdir(join(ROOT, group), { withFileTypes: true })) {
      if (entry.isDirectory()) manifests.push(join(ROOT, group, entry.name, 'package.json'));
    }
  }
  const names = new Set<string>();
  for (const manifest of manifests) {
    const json = JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(json.dependencies ?? {})) names.add(name);
  }
  return names;
};

const copyTemplates = async (outDir: string): Promise<number> => {
  let count = 0;
  for (const entry of await readdir(TEMPLATES_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    await cp(join(TEMPLATES_DIR, entry.name), join(outDir, 'templates', entry.name), { recursive: true });
    count++;
  }
  return count;
};

const copyFonts = async (outDir: string): Promise<number> => {
  let count = 0;
  for (const font of BUNDLED_FONTS) {
    const source = fontFilesDirectory(font.pkg);
    const target = join(outDir, 'fonts', font.pkg);
    await mkdir(target, { recursive: true });
    for (const file of await readdir(source)) {
      if (!isRegisteredFontFile(font, file)) continue;
      await copyFile(join(source, file), join(target, file));
      count++;
    }
  }
  return count;
};

export const bundleServer = async (outDir: string): Promise<ServerBundle> => {
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { memelab: ENTRY },
    outdir: outDir,
    // What the code imports with import() goes into chunks/ and loads when it is imported,
    // with the packages it imports: in one file, esbuild hoists every import of an external
    // package to the top, so `memelab api` loaded Skia, PGlite, pino-pretty, undici and the
    // stress tools' packages (~0.1 s of CPU) that only other commands use.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // Code that finds the files shipped beside the bundle (templates, migrations, fonts)
    // resolves them from import.meta.url: in a chunk that is chunks/, so it gets memelab.mjs's URL.
    define: { MEMELAB_SERVER_BUNDLE: 'true', 'import.meta.url': 'MEMELAB_BUNDLE_URL' },
    // Inlined CommonJS packages call require(); an ES module has none of its own.
    banner: {
      js: [
        "import { createRequire as createBundleRequire } from 'node:module';",
        "const MEMELAB_BUNDLE_URL = new URL(/\\/chunks\\/[^/]*$/.test(import.meta.url) ? '../memelab.mjs' : './memelab.mjs', import.meta.url).href;",
        'const require = createBundleRequire(MEMELAB_BUNDLE_URL);',
      ].join('\n'),
    },
    plugins: [keepHoistedPackagesExternal],
    metafile: true,
    logLevel: 'warning',
  });
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const { path, external } of output.imports) {
      if (external && !isBuiltin(path)) imported.add(packageNameOf(path));
    }
  }
  const declared = await productionDependencies();
  const undeclared = [...imported].filter((name) => !declared.has(name));
  if (undeclared.length > 0) {
    throw new Error(
      `The server imports packages that no workspace lists under "dependencies": ${undeclared.join(', ')}. ` +
        'Production images would not install them; move them from devDependencies.',
    );
  }
  await cp(MIGRATIONS_DIR, join(outDir, 'migrations'), { recursive: true });
  await copyFile(PGLITE_SNAPSHOT, join(outDir, 'pglite-initdb.tar.br'));
  const templates = await copyTemplates(outDir);
  const fontFiles = await copyFonts(outDir);
  let bundleBytes = 0;
  for (const [path, { bytes }] of Object.entries(result.metafile.outputs))
    if (path.endsWith('.mjs')) bundleBytes += bytes;
  return {
    outDir,
    bundleBytes,
    externals: [...imported].sort(),
    templates,
    fontFiles,
  };
};

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'dist/server') } } });
  const outDir = resolve(values.out ?? '');
  const started = performance.now();
  const bundle = await bundleServer(outDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `server bundle: ${relative(process.cwd(), join(outDir, 'memelab.mjs')) || outDir} ` +
      `(${(bundle.bundleBytes / 1024).toFixed(0)} KiB, ${bundle.templates} templates, ${bundle.fontFiles} font files) in ${seconds}s\n` +
      `external packages: ${bundle.externals.join(', ')}\n`,
  );
}
