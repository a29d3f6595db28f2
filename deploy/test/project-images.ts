import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalBaseImages } from './local-base-images.ts';
import { type Podman, runCommand } from './podman.ts';

/** The build's step headers and its npm summaries: enough to see where a slow build is. */
const BUILD_PROGRESS = /^\[\d+\/\d+\] (STEP|COMMIT)|^added \d+ packages|^Successfully tagged|^server bundle:/;

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
 * Builds every target of the repository's Dockerfile with podman, from the local base
 * images. Build output is streamed to stderr so a long first build shows its progress.
 * Layers are cached in podman's storage, so a rebuild after a small change is quick.
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
        target,
        '--build-arg',
        `BASE_IMAGE=${base.node}`,
        '--build-arg',
        `NGINX_IMAGE=${base.nginx}`,
        '--build-arg',
        `REVISION=${revision || 'unknown'}`,
        '--tag',
        tag,
        '--file',
        join(REPOSITORY_ROOT, 'Dockerfile'),
        REPOSITORY_ROOT,
      ],
      { echo: BUILD_PROGRESS, timeoutMs: 1_200_000 },
    );
    const size = Number((await podman.run(['image', 'inspect', '--format', '{{.Size}}', tag])).stdout.trim());
    built[target] = { target, tag, sizeBytes: size, buildSeconds: (performance.now() - started) / 1000 };
  }
  return built as Record<ImageTarget, BuiltImage>;
};
