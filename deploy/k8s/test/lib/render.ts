import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
export const K8S_DIR = join(REPOSITORY_ROOT, 'deploy/k8s');
export const ARGOCD_DIR = join(REPOSITORY_ROOT, 'deploy/argocd');

/** A Kubernetes object as rendered: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field by the tests.
  [field: string]: any;
}

/** The environments: each renders to both tenants plus the cluster configuration. */
export const OVERLAYS = ['homelab', 'single-node'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** Every kustomization under deploy/argocd that a cluster is given or the root syncs. */
export const ARGOCD_TARGETS = ['.', 'root-single-node', 'apps/homelab', 'apps/single-node'] as const;

const run = promisify(execFile);

/** `kubectl kustomize DIR`, parsed: the same build a `kubectl apply -k` or Argo CD makes. */
export const kustomize = async (dir: string): Promise<K8sObject[]> => {
  const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseObjects(stdout, dir);
};

export const parseObjects = (text: string, source: string): K8sObject[] =>
  parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);

/** Renders are kept per test file; each caller gets its own copy to change. */
const renders = new Map<string, Promise<K8sObject[]>>();
const cachedKustomize = async (dir: string): Promise<K8sObject[]> => {
  let render = renders.get(dir);
  if (render === undefined) {
    render = kustomize(dir);
    renders.set(dir, render);
  }
  return structuredClone(await render);
};

export const renderOverlay = (overlay: Overlay): Promise<K8sObject[]> =>
  cachedKustomize(join(K8S_DIR, 'overlays', overlay));

export const renderArgocd = (target: (typeof ARGOCD_TARGETS)[number]): Promise<K8sObject[]> =>
  cachedKustomize(join(ARGOCD_DIR, target));

/**
 * The Job applied by hand to restore a backup, as it lands in a tenant's namespace: it is
 * a workload like the rendered ones and held to the same rules.
 */
export const restoreJob = async (namespace: string): Promise<K8sObject> => {
  const [job] = parseObjects(
    await readFile(join(K8S_DIR, 'components/backup/restore-job.yaml'), 'utf8'),
    'restore-job',
  );
  if (job === undefined) throw new Error('restore-job.yaml is empty');
  return { ...job, metadata: { ...job.metadata, name: `${job.metadata.generateName}drill`, namespace } };
};

/**
 * Renders deploy/k8s/secrets/TENANT the way an operator does: in a copy of deploy/k8s,
 * every `*.example` is copied to its real name with fresh random values in place of the
 * placeholders. Returns the objects and the values that were written.
 */
export const renderSecrets = async (
  tenant: 'memelab' | 'healthcare',
): Promise<{ objects: K8sObject[]; values: string[] }> => {
  const copy = await mkdtemp(join(tmpdir(), 'memelab-k8s-secrets-'));
  try {
    await cp(K8S_DIR, join(copy, 'deploy/k8s'), {
      recursive: true,
      filter: (path) => !path.includes(`${K8S_DIR}/test`),
    });
    const dir = join(copy, 'deploy/k8s/secrets', tenant);
    const values: string[] = [];
    for (const file of await readdir(dir)) {
      if (!file.endsWith('.example')) continue;
      const lines = (await readFile(join(dir, file), 'utf8')).split('\n').map((line) => {
        const match = /^([A-Za-z_][\w-]*)=(.*)$/.exec(line);
        if (match === null) return line;
        const value = randomBytes(24).toString('hex');
        values.push(value);
        return `${match[1]}=${value}`;
      });
      await writeFile(join(dir, file.replace(/\.example$/, '')), lines.join('\n'));
    }
    return { objects: await kustomize(dir), values };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
};

/** Kustomizations other parts of the repository keep Kubernetes objects in (chaos, observability). */
export const findKustomizations = async (dir: string): Promise<string[]> => {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules') await walk(join(current, entry.name));
      else if (entry.name === 'kustomization.yaml') found.push(relative(REPOSITORY_ROOT, current));
    }
  };
  await walk(dir);
  return found.sort();
};

export const describeObject = (object: K8sObject): string =>
  `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? object.metadata.generateName}`;
