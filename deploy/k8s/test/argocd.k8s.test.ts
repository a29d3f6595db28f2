/**
 * The Argo CD objects: every child Application's source exists in this repository or is a
 * pinned chart or tag; each AppProject admits exactly the destinations, sources and
 * cluster-scoped kinds its Applications use; sync order and policy.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type K8sObject, kustomize, REPOSITORY_ROOT, renderArgocd } from './lib/render.ts';
import { createSchemaValidator } from './lib/schema.ts';

const REPOSITORY_URL = 'https://github.com/memelab/memelab.git';
const ENVIRONMENTS = ['apps/homelab', 'apps/single-node'] as const;
const SEMVER = /^v?\d+\.\d+\.\d+$/;

const applications = (objects: K8sObject[]) => objects.filter((object) => object.kind === 'Application');
const projects = (objects: K8sObject[]) => objects.filter((object) => object.kind === 'AppProject');
const destinationKey = (destination: { server: string; namespace: string }) =>
  `${destination.server} ${destination.namespace}`;
const wave = (object: K8sObject) => Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe.each(ENVIRONMENTS)('deploy/argocd/%s', (environment) => {
  it('points every Application at a path of this repository that renders, or at a pinned chart or tag', async () => {
    const apps = applications(await renderArgocd(environment));
    expect(apps.length).toBe(13);
    for (const app of apps) {
      const { repoURL, path, chart, targetRevision } = app.spec.source;
      if (repoURL === REPOSITORY_URL) {
        expect(path, app.metadata.name).toBeDefined();
        await access(join(REPOSITORY_ROOT, path, 'kustomization.yaml'));
        expect((await kustomize(join(REPOSITORY_ROOT, path))).length, app.metadata.name).toBeGreaterThan(0);
      } else {
        // Third-party: a Helm chart or a git tag at an exact version, never a branch or a range.
        expect(chart ?? path, app.metadata.name).toBeDefined();
        expect(targetRevision, app.metadata.name).toMatch(SEMVER);
      }
    }
  });

  it('admits in each AppProject exactly the destinations and sources its Applications use', async () => {
    const objects = await renderArgocd(environment);
    const root = applications(await renderArgocd('.'));
    for (const project of projects(objects)) {
      const members = [...applications(objects), ...root].filter((app) => app.spec.project === project.metadata.name);
      expect(members.length, project.metadata.name).toBeGreaterThan(0);
      const used = new Set(members.map((app) => destinationKey(app.spec.destination)));
      const admitted = new Set(project.spec.destinations.map(destinationKey));
      expect([...admitted].sort(), project.metadata.name).toEqual([...used].sort());
      expect([...new Set(project.spec.sourceRepos)].sort(), project.metadata.name).toEqual(
        [...new Set(members.map((app) => app.spec.source.repoURL))].sort(),
      );
    }
  });

  it("renders each tenant path only into its project's namespace, with only the cluster-scoped kinds the project allows", async () => {
    const validator = createSchemaValidator();
    const objects = await renderArgocd(environment);
    for (const app of applications(objects).filter((candidate) => candidate.spec.source.repoURL === REPOSITORY_URL)) {
      const project = projects(objects).find((candidate) => candidate.metadata.name === app.spec.project) as K8sObject;
      const namespaces = new Set(
        project.spec.destinations.map((destination: { namespace: string }) => destination.namespace),
      );
      const clusterKinds = new Set(
        project.spec.clusterResourceWhitelist.map(
          (kind: { group: string; kind: string }) => `${kind.group}/${kind.kind}`,
        ),
      );
      const blacklist = new Set(
        (project.spec.namespaceResourceBlacklist ?? []).map(
          (kind: { group: string; kind: string }) => `${kind.group}/${kind.kind}`,
        ),
      );
      for (const object of await kustomize(join(REPOSITORY_ROOT, app.spec.source.path))) {
        const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
        const what = `${app.metadata.name}: ${object.kind} ${object.metadata.name}`;
        if (validator.isClusterScoped(object.apiVersion, object.kind)) {
          expect(clusterKinds.has(`${group}/${object.kind}`), what).toBe(true);
        } else {
          // The platform project's config lands in the add-ons' namespaces, the tenants' in their own.
          expect(namespaces.has(object.metadata.namespace ?? app.spec.destination.namespace), what).toBe(true);
          expect(blacklist.has(`${group}/${object.kind}`), what).toBe(false);
        }
      }
    }
  });

  it('syncs automatically with prune, self-heal and server-side apply, add-ons before their configuration before the tenants', async () => {
    const apps = applications(await renderArgocd(environment));
    for (const app of apps) {
      expect(app.spec.syncPolicy.automated, app.metadata.name).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.syncOptions, app.metadata.name).toContain('ServerSideApply=true');
    }
    const waveOf = (component: string) =>
      new Set(apps.filter((app) => app.metadata.labels?.['app.kubernetes.io/component'] === component).map(wave));
    const [addons, config, tenants] = [[...waveOf('addon')], [...waveOf('config')], [...waveOf('tenant')]];
    expect(Math.max(...addons)).toBeLessThan(Math.min(...config));
    expect(Math.max(...config)).toBeLessThan(Math.min(...tenants));
    for (const project of projects(await renderArgocd(environment)))
      expect(wave(project)).toBeLessThan(Math.min(...addons));
  });
});

it("syncs each tenant's namespace first, then its data services, the migration, then the workloads", async () => {
  for (const tenant of ['memelab', 'healthcare']) {
    const objects = await kustomize(join(REPOSITORY_ROOT, 'deploy/k8s/overlays/homelab', tenant));
    const waveOfKind = (kind: string) => objects.filter((object) => object.kind === kind).map(wave);
    const namespace = Math.max(...waveOfKind('Namespace'));
    const data = waveOfKind('StatefulSet');
    const migration = objects.filter((object) => object.kind === 'Job');
    expect(migration.map((job) => job.metadata.annotations?.['argocd.argoproj.io/hook'])).toEqual(['Sync']);
    const deployments = waveOfKind('Deployment');
    expect(namespace).toBeLessThan(Math.min(...data));
    expect(Math.max(...data)).toBeLessThan(Math.min(...migration.map(wave)));
    expect(Math.max(...migration.map(wave))).toBeLessThan(Math.min(...deployments));
  }
});

it('points the single-node root at the single-node apps, and those at the single-node overlays', async () => {
  const [root] = applications(await renderArgocd('root-single-node'));
  expect(root?.spec.source.path).toBe('deploy/argocd/apps/single-node');
  const paths = applications(await renderArgocd('apps/single-node'))
    .filter((app) => app.spec.source.repoURL === REPOSITORY_URL)
    .map((app) => app.spec.source.path);
  expect(paths.sort()).toEqual([
    'deploy/k8s/overlays/single-node/healthcare',
    'deploy/k8s/overlays/single-node/memelab',
    'deploy/k8s/overlays/single-node/platform',
    // The same in every environment.
    'deploy/observability',
  ]);
});
