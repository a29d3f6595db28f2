import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the server bundle the container images run, from this checkout, into
 * `<parent>/server`, and links this checkout's node_modules beside it: the bundle keeps some
 * third-party packages external and finds them there, as in the image. Returns the path of
 * its entry script, to run with plain node.
 */
export const buildServerBundle = async (parent: string): Promise<string> => {
  const { bundleServer } = await import('../scripts/bundle-server.ts');
  await bundleServer(join(parent, 'server'));
  await symlink(fileURLToPath(new URL('../node_modules', import.meta.url)), join(parent, 'node_modules'));
  return join(parent, 'server', 'memelab.mjs');
};
