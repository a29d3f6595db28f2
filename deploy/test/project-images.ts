import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalBaseImages } from './local-base-images.ts';
import { type Podman, runCommand } from './podman.ts';

/** The build's step headers and its npm summaries: enough to see where a slow build is. */
const BUILD_PROGRESS =
  /^\[\d+\/\d+\] (STEP|COMMIT)|^added \d+ packages|^Successfully tagged|^(server|healthcare) bundle:/;

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Dockerfile's deployable targets. */
export const IMAGE_TARGETS = ['api', 'worker', 'web'] as const;
export type ImageTarget = (typeof IMAGE_TARGETS)[number];

export interface BuiltImage {
  readonly target: ImageTarget;
  readonly tag: string;
  readonly sizeBytes: number;
  readonly buildSeconds: number;
}

/**
 * Builds one target of the repository's Dockerfile with podman, from the local base images,
 * echoing the build's progress lines to stderr.
 */
export const buildImage = async (
  podman: Podman,
  options: {
    readonly target: string;
    readonly tag: string;
    readonly base: LocalBaseImages;
    readonly revision?: string;
  },
): Promise<void> => {
  await podman.run(
    [
      'build',
      // The Docker image format keeps HEALTHCHECK and STOPSIGNAL, which OCI images drop.
      '--format',
      'docker',
      // RUN npm ci reaches the npm registry the way this machine does.
      '--network',
      'host',
      '--target',
      options.target,
      '--build-arg',
      `BASE_IMAGE=${options.base.node}`,
      '--build-arg',
      `NGINX_IMAGE=${options.base.nginx}`,
      ...(options.revision === undefined ? [] : ['--build-arg', `REVISION=${options.revision}`]),
      '--tag',
      options.tag,
      // By full path: podman runs in a state directory of its own, not in the repository.
      '--file',
      join(REPOSITORY_ROOT, 'Dockerfile'),
      REPOSITORY_ROOT,
    ],
    { echo: BUILD_PROGRESS, timeoutMs: 1_200_000 },
  );
};

/**
 * Builds every deployable target of the repository's Dockerfile. Build output is streamed
 * to stderr so a long first build shows its progress. Layers are cached in podman's
 * storage, so a rebuild after a small change is quick.
 */
export const buildProjectImages = async (
  podman: Podman,
  base: LocalBaseImages,
): Promise<Record<ImageTarget, BuiltImage>> => {
  const revision = (await runCommand('git', ['rev-parse', 'HEAD'], { cwd: REPOSITORY_ROOT })).stdout.trim();
  const built: Partial<Record<ImageTarget, BuiltImage>> = {};
  for (const target of IMAGE_TARGETS) {
    const tag = `localhost/memelab/${target}:test`;
    const started = performance.now();
    process.stderr.write(`\n[containers] building ${tag} from the Dockerfile (target ${target})\n`);
    await buildImage(podman, { target, tag, base, revision: revision || 'unknown' });
    const size = Number((await podman.run(['image', 'inspect', '--format', '{{.Size}}', tag])).stdout.trim());
    built[target] = { target, tag, sizeBytes: size, buildSeconds: (performance.now() - started) / 1000 };
  }
  return built as Record<ImageTarget, BuiltImage>;
};
