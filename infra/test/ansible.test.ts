/**
 * Ansible: every playbook passes --syntax-check, ansible-lint's production profile and
 * yamllint; every version comes from the one group_vars file; the join token never reaches
 * a log; and the kubeadm configuration rendered by Ansible itself agrees with Calico's IP
 * pool and mounts the audit and encryption files the API server is pointed at.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { ANSIBLE_DIR, ansibleEnv, ensureInfraTools, mustRun, REPOSITORY_ROOT, runCommand } from './tools.ts';

const PLAYBOOKS = ['site.yml', 'reset.yml', 'upgrade.yml'];
const ROLES = [
  'preinstall',
  'containerd',
  'kubeadm_control_plane',
  'kubeadm_join',
  'calico',
  'argocd_bootstrap',
  'reset',
];

interface Task {
  name?: string;
  no_log?: boolean;
  block?: Task[];
  [module: string]: unknown;
}

const walk = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
};

const flattenTasks = (tasks: Task[]): Task[] => tasks.flatMap((task) => [task, ...flattenTasks(task.block ?? [])]);

let work: string;
let inventory: string;

beforeAll(async () => {
  ensureInfraTools();
  work = await mkdtemp(join(tmpdir(), 'memelab-ansible-'));
  inventory = join(work, 'hosts.ini');
  await writeFile(
    inventory,
    '[control_plane]\ncp-1 ansible_host=192.168.10.10\n[workers]\nw-1 ansible_host=192.168.10.20\n' +
      '[k8s_cluster:children]\ncontrol_plane\nworkers\n',
  );
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('ansible', () => {
  it('has every role in the standard layout', async () => {
    const roles = (await readdir(join(ANSIBLE_DIR, 'roles'))).sort();
    expect(roles).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      const files = (await walk(join(ANSIBLE_DIR, 'roles', role))).map((file) =>
        relative(join(ANSIBLE_DIR, 'roles', role), file),
      );
      expect(files, role).toContain('tasks/main.yml');
      expect(files, role).toContain('defaults/main.yml');
      expect(files, role).toContain('meta/main.yml');
    }
  });

  it.each(PLAYBOOKS)('%s passes ansible-playbook --syntax-check', async (playbook) => {
    const result = await runCommand('ansible-playbook', ['-i', inventory, '--syntax-check', playbook], {
      cwd: ANSIBLE_DIR,
      env: ansibleEnv(),
    });
    expect(result.stderr).not.toMatch(/ERROR|WARNING/);
    expect(result.code).toBe(0);
  });

  it('passes ansible-lint at the production profile with no exception', async () => {
    const result = await runCommand('ansible-lint', ['--profile', 'production', '--offline', '--nocolor'], {
      cwd: ANSIBLE_DIR,
      env: ansibleEnv(),
      timeoutMs: 300_000,
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\) on \d+ files/);
    // ansible-lint lints the files git lists and nothing else: a file git ignores, or a tree
    // git does not know, passes unread. It counts every YAML file and template of the tree
    // and each role once more (besides README.md, ansible.cfg and the like), so fewer than
    // that means some were skipped. .ansible/ is the downloaded manifests, not Ansible's.
    const linted = Number(output.match(/on (\d+) files/)?.[1] ?? 0);
    const present = (await walk(ANSIBLE_DIR)).filter(
      (file) => /\.(ya?ml|j2)$/.test(file) && !relative(ANSIBLE_DIR, file).startsWith('.ansible/'),
    );
    const roles = (await readdir(join(ANSIBLE_DIR, 'roles'), { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    expect(present.length).toBeGreaterThan(ROLES.length * 2);
    expect(
      linted,
      `ansible-lint read ${linted} files; the tree has ${present.length} YAML files and templates in ${roles.length} roles`,
    ).toBeGreaterThanOrEqual(present.length + roles.length);
    expect(result.code).toBe(0);
    // No rule is switched off, in a config file or inline.
    for (const file of await walk(ANSIBLE_DIR)) {
      if (!/\.ya?ml$/.test(file)) continue;
      expect(await readFile(file, 'utf8'), file).not.toMatch(/noqa|skip_ansible_lint/);
    }
  });

  it('passes yamllint with the repository configuration (infra and workflows)', async () => {
    const result = await runCommand(
      'yamllint',
      ['--strict', '-c', join(REPOSITORY_ROOT, '.yamllint.yaml'), '-f', 'parsable', 'infra', '.github'],
      { cwd: REPOSITORY_ROOT },
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('pins every version in group_vars/all/versions.yml and nowhere else', async () => {
    const versions = parseYaml(await readFile(join(ANSIBLE_DIR, 'group_vars/all/versions.yml'), 'utf8')) as Record<
      string,
      string
    >;
    for (const [name, value] of Object.entries(versions)) {
      expect(String(value), name).toMatch(/\d+\.\d+/);
    }
    for (const file of await walk(ANSIBLE_DIR)) {
      if (!/\.(ya?ml|j2)$/.test(file) || file.endsWith('versions.yml') || file.endsWith('requirements.yml')) continue;
      const text = await readFile(file, 'utf8');
      // A literal release number (v1.2.3, :3.10) anywhere but versions.yml is a second pin.
      expect(text, file).not.toMatch(/\bv\d+\.\d+\.\d+\b|:\d+\.\d+(\.\d+)?["\s]/);
      const jinja = [...text.matchAll(/\{\{[\s\S]*?\}\}/g)].map((m) => m[0]).join('\n');
      for (const match of jinja.matchAll(/\b([a-z_]+_version)\b/g)) {
        const name = match[1] as string;
        if (['kubernetes_minor_version', 'kubernetes_package_version', 'min_ansible_version'].includes(name)) continue;
        expect(Object.keys(versions), `${name} in ${relative(ANSIBLE_DIR, file)}`).toContain(name);
      }
    }
  });

  it('keeps the join token and certificate key out of every log', async () => {
    const tasks = flattenTasks(
      parseYaml(await readFile(join(ANSIBLE_DIR, 'roles/kubeadm_join/tasks/main.yml'), 'utf8')) as Task[],
    );
    const sensitive = tasks.filter(
      (task) => !task.block && /join_command|certificate_key|token/.test(JSON.stringify(task)),
    );
    expect(sensitive.map((task) => task.name)).toEqual([
      'Make a short-lived join command on the first control-plane node',
      'Upload the control-plane certificates and get their key',
      'Run kubeadm join',
    ]);
    for (const task of sensitive) expect(task.no_log, task.name).toBe(true);
    const encryption = flattenTasks(
      parseYaml(
        await readFile(join(ANSIBLE_DIR, 'roles/kubeadm_control_plane/tasks/encryption.yml'), 'utf8'),
      ) as Task[],
    );
    for (const task of encryption.filter((t) => /encryption_key|slurp|template/.test(JSON.stringify(t)))) {
      expect(task.no_log, task.name).toBe(true);
    }
  });

  describe('rendered by Ansible', () => {
    let kubeadm: Record<string, unknown>[];
    let installation: Record<string, unknown>[];
    let encryption: Record<string, unknown>;
    let versions: Record<string, string>;
    let cluster: Record<string, string>;

    beforeAll(async () => {
      const dir = await mkdtemp(join(work, 'render-'));
      await mkdir(join(dir, 'inventory'));
      // The inventory's group_vars are the repository's, as for a real run.
      await symlink(join(ANSIBLE_DIR, 'group_vars'), join(dir, 'inventory/group_vars'));
      await writeFile(
        join(dir, 'inventory/hosts.ini'),
        '[control_plane]\nmemelab-cp-1 ansible_host=192.168.10.10 ansible_connection=local\n[workers]\n' +
          '[k8s_cluster:children]\ncontrol_plane\nworkers\n',
      );
      const role = (name: string) => join(ANSIBLE_DIR, 'roles', name);
      await writeFile(
        join(dir, 'render.yml'),
        `- name: Render the control-plane templates
  hosts: control_plane
  gather_facts: false
  vars_files:
    - ${role('kubeadm_control_plane')}/defaults/main.yml
    - ${role('calico')}/defaults/main.yml
  vars:
    kubeadm_control_plane_encryption_key: "{{ ('k' * 32) | b64encode }}"
  tasks:
    - name: Render
      ansible.builtin.template:
        src: "{{ item.src }}"
        dest: "${dir}/{{ item.dest }}"
        mode: "0600"
      delegate_to: localhost
      loop:
        - { src: "${role('kubeadm_control_plane')}/templates/kubeadm-config.yaml.j2", dest: kubeadm.yaml }
        - { src: "${role('kubeadm_control_plane')}/templates/encryption-config.yaml.j2", dest: encryption.yaml }
        - { src: "${role('kubeadm_control_plane')}/templates/audit-policy.yaml.j2", dest: audit.yaml }
        - { src: "${role('calico')}/templates/installation.yaml.j2", dest: installation.yaml }
`,
      );
      await mustRun('ansible-playbook', ['-i', join(dir, 'inventory/hosts.ini'), join(dir, 'render.yml')], {
        cwd: dir,
        env: ansibleEnv(),
      });
      const documents = async (name: string) =>
        parseAllDocuments(await readFile(join(dir, name), 'utf8')).map((doc) => doc.toJS() as Record<string, unknown>);
      kubeadm = await documents('kubeadm.yaml');
      installation = await documents('installation.yaml');
      encryption = (await documents('encryption.yaml'))[0] as Record<string, unknown>;
      expect((await documents('audit.yaml'))[0]).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' });
      versions = parseYaml(await readFile(join(ANSIBLE_DIR, 'group_vars/all/versions.yml'), 'utf8'));
      cluster = parseYaml(await readFile(join(ANSIBLE_DIR, 'group_vars/all/cluster.yml'), 'utf8'));
    });

    const byKind = (docs: Record<string, unknown>[], kind: string) => {
      const found = docs.filter((doc) => doc.kind === kind);
      expect(found, kind).toHaveLength(1);
      // biome-ignore lint/suspicious/noExplicitAny: parsed Kubernetes documents, read field by field below
      return found[0] as Record<string, any>;
    };

    it('gives kubeadm the pinned version and the same pod CIDR as Calico', () => {
      const clusterConfiguration = byKind(kubeadm, 'ClusterConfiguration');
      expect(clusterConfiguration.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
      expect(clusterConfiguration.kubernetesVersion).toBe(`v${versions.kubernetes_version}`);
      const podSubnet = clusterConfiguration.networking.podSubnet;
      expect(podSubnet).toBe(cluster.kubernetes_pod_cidr);
      const pools = byKind(installation, 'Installation').spec.calicoNetwork.ipPools;
      expect(pools).toHaveLength(1);
      expect(pools[0].cidr).toBe(podSubnet);
      expect(clusterConfiguration.controlPlaneEndpoint).toBe('192.168.10.10:6443');
    });

    it('points the API server at an audit policy and an encryption config it can see', () => {
      const apiServer = byKind(kubeadm, 'ClusterConfiguration').apiServer;
      const args = Object.fromEntries(
        (apiServer.extraArgs as { name: string; value: string }[]).map(({ name, value }) => [name, value]),
      );
      const mounts = (apiServer.extraVolumes as { mountPath: string; hostPath: string }[]).map((v) => v.mountPath);
      const mounted = (path: string) => mounts.some((mount) => path.startsWith(`${mount}/`));
      for (const flag of ['audit-policy-file', 'audit-log-path', 'encryption-provider-config']) {
        expect(args[flag], flag).toBeDefined();
        expect(mounted(args[flag] as string), `${flag} ${args[flag]} is inside a mounted volume`).toBe(true);
      }
      expect(Number(args['audit-log-maxage'])).toBeGreaterThan(0);
      const providers = (
        encryption.resources as {
          resources: string[];
          providers: { aescbc?: { keys: { secret: string }[] }; identity?: object }[];
        }[]
      )[0];
      expect(providers?.resources).toEqual(['secrets']);
      expect(Object.keys(providers?.providers[0] ?? {})).toEqual(['aescbc']);
      expect(Buffer.from(providers?.providers[0]?.aescbc?.keys[0]?.secret ?? '', 'base64')).toHaveLength(32);
      expect(Object.keys(providers?.providers.at(-1) ?? {})).toEqual(['identity']);
    });

    it('gives the kubelet the systemd cgroup driver containerd uses', () => {
      expect(byKind(kubeadm, 'KubeletConfiguration').cgroupDriver).toBe('systemd');
      expect(byKind(kubeadm, 'InitConfiguration').nodeRegistration.criSocket).toBe(
        'unix:///run/containerd/containerd.sock',
      );
    });
  });
});
