import { join, resolve } from 'node:path';
import type { Database } from '@memelab/adapters';
import { DEFAULT_DATA_DIR } from '@memelab/pipeline/data-dir';
import { buildWebPageIfStale } from './web-build.ts';

// The work `memelab start` begins before anything else loads. This module imports only
// node's own modules (and web-build.ts, which does the same), so main.ts can call it first:
// every other import, through tsx's loader in a checkout, is what the work overlaps.
// (@memelab/pipeline/data-dir is one constant with no imports of its own.)

/** Replaced with `true` by the server bundler (see inServerBundle in @memelab/core, which this avoids loading). */
declare const MEMELAB_SERVER_BUNDLE: boolean | undefined;

/** The embedded database of a start, opening since before the server modules loaded. */
interface EarlyDatabase {
  readonly directory: string;
  readonly database: Promise<Database>;
}

/** How the web page build that a start began in a source checkout ended. */
export type WebBuildOutcome =
  | { readonly outcome: 'built' | 'up to date' | 'not needed'; readonly error: undefined }
  | { readonly outcome: 'failed'; readonly error: unknown };

/**
 * Whether this command line is a server start worth beginning early: `memelab start` with
 * nothing after it. `start` takes no options, so anything more is `--help` or a mistake
 * that the command line parser answers, and neither may unpack a database or build the
 * web page on the way.
 */
export const isEmbeddedStart = (args: readonly string[]): boolean => args.length === 1 && args[0] === 'start';

let earlyDatabase: EarlyDatabase | undefined;
let earlyWebBuild: Promise<WebBuildOutcome> | undefined;

/**
 * Begins what `memelab start` needs and module loading does not: opening the embedded
 * database (PGlite: unpacking the initdb snapshot on a first start, compiling PGlite's
 * WebAssembly, starting PostgreSQL) and, in a source checkout, building the web page when
 * its sources changed, in a child process. It reads DATABASE_URL, DATA_DIR and WEB_DIR
 * directly (the configuration is not loaded yet); `takeEarlyDatabase` checks them against
 * the loaded configuration, and the start opens the configured database instead when they differ.
 */
export const beginEmbeddedStart = (env: Readonly<Record<string, string | undefined>> = process.env): void => {
  if (earlyWebBuild === undefined && env.WEB_DIR === undefined && typeof MEMELAB_SERVER_BUNDLE === 'undefined') {
    earlyWebBuild = buildWebPageIfStale().then(
      (outcome) => ({ outcome, error: undefined }),
      (error: unknown) => ({ outcome: 'failed', error }),
    );
  }
  if (earlyDatabase !== undefined || (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '')) return;
  const directory = join(env.DATA_DIR || DEFAULT_DATA_DIR, 'db');
  // The PGlite adapter alone, not the adapters' index: under tsx each module it would load
  // first is a transform the database waits for.
  const database = import('@memelab/adapters/pglite').then(({ openPgliteDatabase }) =>
    openPgliteDatabase(directory, { extensions: [] }),
  );
  // A failure is reported where the start awaits the database.
  database.catch(() => undefined);
  earlyDatabase = { directory, database };
};

/** The web page build begun with the start, or 'not needed' when none was (WEB_DIR set, the server bundle). */
export const takeEarlyWebBuild = (): Promise<WebBuildOutcome> => {
  const build = earlyWebBuild ?? Promise.resolve({ outcome: 'not needed' as const, error: undefined });
  earlyWebBuild = undefined;
  return build;
};

/** The early database when it is the one `config` names; otherwise it is closed (its directory given back). */
export const takeEarlyDatabase = async (config: {
  readonly DATABASE_URL?: string | undefined;
  readonly DATA_DIR: string;
}): Promise<{ readonly database: Promise<Database> } | undefined> => {
  const early = earlyDatabase;
  earlyDatabase = undefined;
  if (early === undefined) return undefined;
  if (config.DATABASE_URL === undefined && resolve(early.directory) === resolve(join(config.DATA_DIR, 'db')))
    return { database: early.database };
  await closeEarly(early);
  return undefined;
};

/** Closes the early database, if any: the start ended before it took it (a configuration mistake). */
export const closeEarlyDatabase = async (): Promise<void> => {
  const early = earlyDatabase;
  earlyDatabase = undefined;
  await closeEarly(early);
};

const closeEarly = async (early: EarlyDatabase | undefined): Promise<void> => {
  await (await early?.database.catch(() => undefined))?.close();
};
