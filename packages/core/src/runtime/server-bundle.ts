// Replaced with `true` by the server bundler (scripts/bundle-server.ts); never set anywhere else.
declare const MEMELAB_SERVER_BUNDLE: boolean | undefined;

/**
 * True inside the single-file server build that the container images run. There the files
 * that ship with memelab (templates, migrations, fonts) sit beside the bundle instead of
 * at their places in the source tree, so modules that locate them ask this first.
 */
export const inServerBundle = (): boolean =>
  typeof MEMELAB_SERVER_BUNDLE !== 'undefined' && MEMELAB_SERVER_BUNDLE === true;
