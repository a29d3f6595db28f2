import { spawn } from 'node:child_process';
import { chmod, cp, lstat, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Podman, runCommand } from './podman.ts';

/**
 * Base images made from this machine's own binaries, for building the project's
 * Dockerfile where no registry can be reached (the Dockerfile takes them through
 * `--build-arg BASE_IMAGE=...` and `NGINX_IMAGE=...`).
 *
 * - node: the machine's Node.js and npm, plus busybox for `/bin/sh` and the few commands a
 *   Dockerfile's RUN lines use. It stands in for the official `node:*-slim` image.
 * - nginx: Debian's nginx with its mime.types, plus busybox for `wget` (the health check).
 *   It stands in for `nginxinc/nginx-unprivileged`.
 *
 * Each root filesystem holds the binaries and the shared libraries `ldd` names for them,
 * and is imported with `podman import`; nothing is pulled.
 */
export interface LocalBaseImages {
  readonly node: string;
  readonly nginx: string;
}

const BUSYBOX = '/bin/busybox';
const BUSYBOX_APPLETS = ['sh', 'env', 'rm', 'mkdir', 'cp', 'mv', 'ls', 'cat', 'wget', 'sleep', 'chmod', 'id'];
const NODE_BINARY = '/usr/bin/node';
/**
 * The C and C++ runtime as a Debian slim image has it. Native addons (Skia through
 * @napi-rs/canvas) need parts of it that node itself does not load, such as librt.
 */
const C_RUNTIME_PACKAGES = ['libc6', 'libgcc-s1', 'libstdc++6'];
const NPM_DIR = '/usr/lib/node_modules/npm';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const NGINX_BINARY = '/usr/sbin/nginx';
const NGINX_MIME_TYPES = '/etc/nginx/mime.types';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Debian packages the images are made from; `.ci/run` and the suite install them when missing. */
export const BASE_IMAGE_PACKAGES = ['busybox-static', 'nginx-light'] as const;

/** The files of this machine the base images are made from, by the Debian package that installs each. */
export const BASE_IMAGE_SOURCES: Readonly<Record<(typeof BASE_IMAGE_PACKAGES)[number], string>> = {
  'busybox-static': BUSYBOX,
  'nginx-light': NGINX_BINARY,
};

/**
 * Fails with what to install when a file the base images are made from is missing, instead
 * of a bare ENOENT from the middle of the build.
 */
export const assertBaseImageSources = async (sources: Readonly<Record<string, string>> = BASE_IMAGE_SOURCES) => {
  const missing: string[] = [];
  for (const [debianPackage, file] of Object.entries(sources)) {
    if (!(await lstat(file).catch(() => undefined))) missing.push(debianPackage);
  }
  if (missing.length > 0) {
    throw new Error(
      `the local base images are made from this machine's ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: ` +
        `apt-get install -y ${missing.join(' ')} (or run deploy/test/ensure-container-tools.sh)`,
    );
  }
};

export const buildLocalBaseImages = async (podman: Podman, workDir: string): Promise<LocalBaseImages> => {
  await assertBaseImageSources();
  const nodeVersion = process.version.slice(1);
  const node = `localhost/memelab-base/node:${nodeVersion}`;
  const nginxVersion = (await runCommand(NGINX_BINARY, ['-v'])).stderr.match(/nginx\/([\d.]+)/)?.[1] ?? 'local';
  const nginx = `localhost/memelab-base/nginx:${nginxVersion}`;

  if (!(await imageExists(podman, node))) {
    const rootfs = await freshRootfs(join(workDir, 'rootfs-node'));
    await copyPackageLibraries(rootfs, C_RUNTIME_PACKAGES);
    await copyWithLibraries(rootfs, [NODE_BINARY]);
    await cp(NPM_DIR, join(rootfs, NPM_DIR), { recursive: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/bin/npm'));
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/bin/npx'));
    // npm reaches its registry through whatever this machine trusts (a proxy's own CA, say).
    await copyInto(rootfs, CA_BUNDLE);
    await importRootfs(podman, rootfs, node, [
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      `ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
      'CMD ["node"]',
    ]);
  }
  if (!(await imageExists(podman, nginx))) {
    const rootfs = await freshRootfs(join(workDir, 'rootfs-nginx'));
    await copyWithLibraries(rootfs, [NGINX_BINARY]);
    await copyInto(rootfs, NGINX_MIME_TYPES);
    await mkdir(join(rootfs, 'usr/share/nginx/html'), { recursive: true });
    await importRootfs(podman, rootfs, nginx, [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["nginx", "-g", "daemon off;"]',
    ]);
  }
  return { node, nginx };
};

const imageExists = async (podman: Podman, image: string): Promise<boolean> =>
  (await podman.attempt(['image', 'exists', image])).code === 0;

/** A root filesystem with busybox, /tmp and minimal account files. */
const freshRootfs = async (rootfs: string): Promise<string> => {
  await rm(rootfs, { recursive: true, force: true });
  for (const dir of ['bin', 'usr/bin', 'etc', 'root', 'tmp']) await mkdir(join(rootfs, dir), { recursive: true });
  await chmod(join(rootfs, 'tmp'), 0o1777);
  await writeFile(join(rootfs, 'etc/passwd'), PASSWD);
  await writeFile(join(rootfs, 'etc/group'), GROUP);
  await cp(BUSYBOX, join(rootfs, 'bin/busybox'));
  for (const applet of BUSYBOX_APPLETS) await symlink('busybox', join(rootfs, 'bin', applet));
  await symlink('../../bin/busybox', join(rootfs, 'usr/bin/env'));
  return rootfs;
};

const copyInto = async (rootfs: string, path: string): Promise<void> => {
  if ((await lstatOrUndefined(join(rootfs, path))) !== undefined) return;
  await mkdir(join(rootfs, dirname(path)), { recursive: true });
  await cp(await realpath(path), join(rootfs, path), { dereference: true });
};

/** Copies binaries and every shared library `ldd` resolves for them, at the same paths. */
const copyWithLibraries = async (rootfs: string, binaries: readonly string[]): Promise<void> => {
  const files = new Set<string>(binaries);
  for (const binary of binaries) {
    const { stdout, code } = await runCommand('ldd', [binary]);
    if (code !== 0) throw new Error(`ldd ${binary} failed`);
    for (const match of stdout.matchAll(/(\/\S+) \(0x/g)) {
      if (match[1] !== undefined) files.add(match[1]);
    }
  }
  for (const file of files) await copyInto(rootfs, file);
};

/** Copies the shared libraries (and the loader) that Debian packages install. */
const copyPackageLibraries = async (rootfs: string, packages: readonly string[]): Promise<void> => {
  const { stdout, code } = await runCommand('dpkg', ['-L', ...packages]);
  if (code !== 0) throw new Error(`dpkg -L ${packages.join(' ')} failed`);
  for (const path of stdout.split('\n')) {
    if (!/^\/(usr\/)?lib(64|32|x32)?\/.*\.so[.\d]*$|\/ld-linux/.test(path)) continue;
    const stats = await lstatOrUndefined(path);
    if (!(stats?.isFile() || stats?.isSymbolicLink())) continue;
    await mkdir(join(rootfs, dirname(path)), { recursive: true });
    await cp(path, join(rootfs, path), { verbatimSymlinks: true });
  }
};

const lstatOrUndefined = (path: string) => lstat(path).catch(() => undefined);

const importRootfs = async (
  podman: Podman,
  rootfs: string,
  image: string,
  changes: readonly string[],
): Promise<void> => {
  const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const args = ['import', ...changes.flatMap((change) => ['--change', change]), '-', image];
  await podman.run(args, { input: tar.stdout });
  await rm(rootfs, { recursive: true, force: true });
};
