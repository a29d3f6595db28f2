/**
 * One owner and one version per cluster add-on: Ansible installs Calico and Argo CD, Argo CD
 * every other add-on, and no document names a version other than the pinned one. Each check
 * runs on the repository, then on copies of it with one thing broken, which it must report.
 */
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ansibleInstallers,
  argocdInstallers,
  doubleOwners,
  namedVersions,
  normalise,
  VERSION_DOCUMENTS,
  versionMismatches,
} from './addon-owners.ts';
import { REPOSITORY_ROOT } from './tools.ts';

// What the check reads; a fixture is a copy of these.
const INPUTS = ['infra/ansible', 'deploy/argocd', ...VERSION_DOCUMENTS];

let work: string;
let fixtures = 0;

/** A copy of the inputs, changed by `change`. */
const fixture = async (change: (root: string) => Promise<void>): Promise<string> => {
  fixtures += 1;
  const root = join(work, `repo-${fixtures}`);
  for (const input of INPUTS) {
    await mkdir(dirname(join(root, input)), { recursive: true });
    await cp(join(REPOSITORY_ROOT, input), join(root, input), { recursive: true });
  }
  await change(root);
  return root;
};

const edit = async (root: string, file: string, from: string | RegExp, to: string): Promise<void> => {
  const text = await readFile(join(root, file), 'utf8');
  const changed = text.replace(from, to);
  expect(changed, `${file} holds ${from}`).not.toBe(text);
  await writeFile(join(root, file), changed);
};

const writeRole = async (root: string, role: string, files: Record<string, string>): Promise<void> => {
  for (const [file, text] of Object.entries(files)) {
    const path = join(root, 'infra/ansible/roles', role, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'memelab-addon-owners-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the add-ons of this repository', () => {
  it('are each installed by Argo CD alone', async () => {
    const argocd = (await argocdInstallers(REPOSITORY_ROOT)).map((installer) => installer.label).sort();
    // Not vacuous: the add-ons Ansible used to install as well are among Argo CD's.
    expect(argocd).toEqual(
      expect.arrayContaining(['ingress-nginx', 'local-path-provisioner', 'metallb', 'metrics-server']),
    );
    const ansible = await ansibleInstallers(REPOSITORY_ROOT);
    const ansibleNames = new Set(ansible.flatMap((installer) => [...installer.names]));
    expect([...ansibleNames]).toEqual(expect.arrayContaining(['calico', 'argocd']));
    expect(await doubleOwners(REPOSITORY_ROOT)).toEqual([]);
  });

  it('are named in the documents only at their pinned versions', async () => {
    expect(await versionMismatches(REPOSITORY_ROOT)).toEqual([]);
  });
});

describe('the check of one owner per add-on reports', () => {
  it('a pin in versions.yml of an add-on Argo CD installs', async () => {
    const root = await fixture((root) =>
      appendFile(
        join(root, 'infra/ansible/group_vars/all/versions.yml'),
        '# renovate: datasource=github-releases depName=metallb/metallb\nmetallb_version: "v0.16.1"\n',
      ),
    );
    expect(await doubleOwners(root)).toEqual([
      'metallb is installed by Argo CD (deploy/argocd/apps/base/addons.yaml (Application metallb), 0.14.9) ' +
        'and by Ansible (infra/ansible/group_vars/all/versions.yml (metallb_version), v0.16.1)',
    ]);
  });

  it('a role that applies the upstream manifest of one', async () => {
    const root = await fixture((root) =>
      writeRole(root, 'edge', {
        'defaults/main.yml':
          'edge_manifest_url: >-\n' +
          '  {{ github_raw_url }}/kubernetes/ingress-nginx/controller-{{ calico_version }}/deploy/static/provider/cloud/deploy.yaml\n',
        'tasks/main.yml':
          '- name: Download the manifest\n  ansible.builtin.get_url:\n    url: "{{ edge_manifest_url }}"\n' +
          '    dest: /tmp/edge.yaml\n    mode: "0644"\n',
      }),
    );
    const problems = await doubleOwners(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^ingress-nginx is installed by Argo CD .* and by Ansible \(infra\/ansible\/roles\/edge\)$/,
    );
  });

  it('a role that installs the Helm chart of one', async () => {
    const root = await fixture((root) =>
      writeRole(root, 'metrics', {
        'tasks/main.yml':
          '- name: Install the chart\n  kubernetes.core.helm:\n    release_name: metrics\n' +
          '    chart_ref: metrics-server/metrics-server\n' +
          '    chart_repo_url: https://kubernetes-sigs.github.io/metrics-server\n' +
          '    release_namespace: kube-system\n',
      }),
    );
    expect(await doubleOwners(root)).toEqual([
      expect.stringMatching(
        /^metrics-server is installed by Argo CD .* and by Ansible \(infra\/ansible\/roles\/metrics\)$/,
      ),
    ]);
  });

  it('a role named after one, whatever it downloads', async () => {
    const root = await fixture((root) => writeRole(root, 'local_path_provisioner', { 'tasks/main.yml': '[]\n' }));
    expect(await doubleOwners(root)).toEqual([
      expect.stringMatching(
        /^local-path-provisioner is installed by Argo CD .* by Ansible \(infra\/ansible\/roles\/local_path_provisioner\)$/,
      ),
    ]);
  });

  it('an environment that patches the targetRevision of one', async () => {
    const root = await fixture((root) =>
      appendFile(
        join(root, 'deploy/argocd/apps/single-node/kustomization.yaml'),
        '  - target: {kind: Application, name: metallb}\n    patch: |-\n' +
          '      - {op: replace, path: /spec/source/targetRevision, value: 0.15.0}\n',
      ),
    );
    expect(await doubleOwners(root)).toEqual([
      'deploy/argocd/apps/single-node/kustomization.yaml patches a targetRevision: a second pin of an add-on',
    ]);
  });
});

describe('the check of the versions the documents name reports', () => {
  it('an add-on version in docs/kubernetes.md that is not the pinned one', async () => {
    const root = await fixture((root) => edit(root, 'docs/kubernetes.md', 'MetalLB 0.14.9', 'MetalLB 0.16.1'));
    expect(await versionMismatches(root)).toEqual([
      expect.stringMatching(
        /^docs\/kubernetes\.md:\d+ names "MetalLB 0\.16\.1", but deploy\/argocd\/apps\/base\/addons\.yaml \(Application metallb\) pins 0\.14\.9$/,
      ),
    ]);
  });

  it('a pin moved in addons.yaml without the document', async () => {
    const root = await fixture((root) =>
      edit(root, 'deploy/argocd/apps/base/addons.yaml', 'targetRevision: v0.0.31', 'targetRevision: v0.0.37'),
    );
    expect(await versionMismatches(root)).toEqual([
      expect.stringMatching(
        /names "local-path-provisioner v0\.0\.31", but .*\(Application local-path-provisioner\) pins v0\.0\.37$/,
      ),
    ]);
  });

  it('an Ansible version in the infra documents that is not the one in versions.yml', async () => {
    const root = await fixture((root) =>
      appendFile(join(root, 'infra/ansible/README.md'), '\nThe network is Calico v3.30.0, then Argo CD v3.5.1.\n'),
    );
    expect(await versionMismatches(root)).toEqual([
      expect.stringMatching(
        /^infra\/ansible\/README\.md:\d+ names "Calico v3\.30\.0", but infra\/ansible\/group_vars\/all\/versions\.yml \(calico_version\) pins v3\.32\.2$/,
      ),
    ]);
  });

  it('an add-on Argo CD installs that docs/kubernetes.md does not name with a version', async () => {
    const root = await fixture((root) => edit(root, 'docs/kubernetes.md', 'KEDA 2.17.2, ', ''));
    expect(await versionMismatches(root)).toEqual(['docs/kubernetes.md does not name keda with its version 2.17.2']);
  });
});

describe('namedVersions', () => {
  it('reads one or two words before a version, in prose, tables and parentheses', () => {
    const text =
      'add-ons: MetalLB 0.14.9, Chaos Mesh 2.7.2 (Prometheus Operator v0.82.2)\n' +
      '| [MetalLB](https://github.com/metallb/metallb) | v0.14.9 |\n';
    const read = namedVersions('doc.md', text).map(({ candidates, version, line }) => ({
      names: candidates.map(({ name }) => name),
      version,
      line,
    }));
    expect(read).toEqual([
      { names: ['metallb'], version: '0.14.9', line: 1 },
      { names: ['mesh', 'chaosmesh'], version: '2.7.2', line: 1 },
      { names: ['operator', 'prometheusoperator'], version: 'v0.82.2', line: 1 },
      { names: ['metallb'], version: 'v0.14.9', line: 2 },
    ]);
  });

  it('ignores addresses, longer dotted numbers and versions inside a word', () => {
    const text = 'ssh kube@192.168.10.10, PostgreSQL on 127.0.0.1, controller-v1.15.1, Ready, v1.34.7\n';
    expect(namedVersions('doc.md', text)).toEqual([]);
    expect(normalise('Argo CD')).toBe('argocd');
  });
});
