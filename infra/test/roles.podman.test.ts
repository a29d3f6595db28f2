/**
 * The OS roles for real: preinstall and containerd (through site.yml, as on a node), then
 * reset.yml, against a Debian 13 container under podman, each twice. The first run must
 * change what it should, the second nothing (changed=0).
 *
 * The container is a debootstrap root file system imported into podman (cached in
 * .tmp/infra-podman). It has no kernel of its own and no systemd, so the roles skip, by
 * the documented conditions in group_vars/all/cluster.yml (node_has_own_kernel,
 * node_runs_systemd), loading modules, applying sysctls, swapoff and starting services; the
 * files that persist all of it are still written and checked here. The Kubernetes package
 * repository (pkgs.k8s.io) is out of this machine's reach, so its tasks run under the
 * kube_packages tag, skipped here; the apt pin they rely on is written and checked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createPodman, type Podman } from '../../deploy/test/podman.ts';
import { ANSIBLE_DIR, ansibleEnv, ensureInfraTools, mustRun, REPOSITORY_ROOT, runCommand } from './tools.ts';

const STATE_DIR = join(REPOSITORY_ROOT, '.tmp/infra-podman');
const SUITE = process.env.INFRA_DEBIAN_SUITE ?? 'trixie';
const MIRROR = process.env.INFRA_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
// What a node has before Ansible: cloud-init installs python3 and python3-apt (Ansible's apt
// module needs it, in check mode too); procps (sysctl) is in every Debian cloud image.
const NODE_PACKAGES = ['python3', 'python3-apt', 'procps'];
const IMAGE = `localhost/memelab-infra/debian-node:${SUITE}`;
const CONTAINER = `memelab-infra-node-${process.pid}`;

interface HostResult {
  changed?: boolean;
  skipped?: boolean;
  failed?: boolean;
}
interface PlaybookReport {
  plays: { tasks: { task: { name: string }; hosts: Record<string, HostResult> }[] }[];
  stats: Record<string, { changed: number; failures: number; ok: number; skipped: number; unreachable: number }>;
}
interface Run {
  report: PlaybookReport;
  stats: PlaybookReport['stats'][string];
  changed: Set<string>;
  skipped: Set<string>;
}

let podman: Podman;
let work: string;
let inventory: string;
let versions: Record<string, string>;

/** A Debian root file system from debootstrap, imported as an image once and kept. */
const ensureBaseImage = async (): Promise<void> => {
  if ((await podman.attempt(['image', 'exists', IMAGE])).code === 0) return;
  const rootfs = await mkdtemp(join(tmpdir(), 'memelab-infra-rootfs-'));
  try {
    await mustRun('debootstrap', ['--variant=minbase', `--include=${NODE_PACKAGES.join(',')}`, SUITE, rootfs, MIRROR], {
      timeoutMs: 900_000,
    });
    const { spawn } = await import('node:child_process');
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await podman.run(['import', '--change', 'CMD ["sleep", "infinity"]', '-', IMAGE], { input: tar.stdout });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
};

const exec = async (command: string): Promise<string> =>
  (await podman.run(['exec', CONTAINER, 'sh', '-c', command])).stdout;

const fileInNode = (path: string): Promise<string> => exec(`cat ${path}`);

const playbook = async (name: string, args: readonly string[] = []): Promise<Run> => {
  const result = await runCommand('ansible-playbook', ['-i', inventory, name, ...args], {
    cwd: ANSIBLE_DIR,
    env: ansibleEnv({ ...podman.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOAD_CALLBACK_PLUGINS: '1' }),
    timeoutMs: 900_000,
  });
  let report: PlaybookReport;
  try {
    report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as PlaybookReport;
  } catch {
    throw new Error(
      `ansible-playbook ${name} gave no JSON report (exit ${result.code}):\n${result.stderr.slice(-4000)}`,
    );
  }
  const stats = report.stats[CONTAINER];
  if (!stats || stats.failures > 0 || stats.unreachable > 0 || result.code !== 0) {
    const failed = report.plays
      .flatMap((play) => play.tasks)
      .filter((task) => task.hosts[CONTAINER]?.failed)
      .map((task) => `${task.task.name}: ${JSON.stringify(task.hosts[CONTAINER]).slice(0, 1500)}`);
    throw new Error(
      `ansible-playbook ${name} failed (exit ${result.code}):\n${failed.join('\n')}\n${result.stderr.slice(-2000)}`,
    );
  }
  const tasks = report.plays.flatMap((play) => play.tasks);
  const names = (predicate: (host: HostResult) => boolean) =>
    new Set(
      tasks
        .filter((task) => task.hosts[CONTAINER] && predicate(task.hosts[CONTAINER]))
        // Role tasks are reported as "role : name".
        .map((task) => task.task.name.replace(/^[\w-]+ : /, '')),
    );
  return { report, stats, changed: names((h) => h.changed === true), skipped: names((h) => h.skipped === true) };
};

beforeAll(async () => {
  ensureInfraTools();
  podman = await createPodman(STATE_DIR);
  await ensureBaseImage();
  work = await mkdtemp(join(tmpdir(), 'memelab-infra-roles-'));
  await podman.run(['run', '-d', '--name', CONTAINER, '--cap-add', 'NET_ADMIN', IMAGE, 'sleep', 'infinity']);
  inventory = join(work, 'hosts.ini');
  await writeFile(
    inventory,
    `[control_plane]\n[workers]\n${CONTAINER} ansible_connection=containers.podman.podman ansible_become=false ` +
      'ansible_python_interpreter=/usr/bin/python3\n[k8s_cluster:children]\ncontrol_plane\nworkers\n',
  );
  versions = parseYaml(await readFile(join(ANSIBLE_DIR, 'group_vars/all/versions.yml'), 'utf8'));
  // A swap entry, as a cloud image or an installer may leave one.
  await exec("echo '/swap.img none swap sw 0 0' >> /etc/fstab");
});

afterAll(async () => {
  if (podman) await podman.attempt(['rm', '--force', '--time', '0', CONTAINER]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('preinstall and containerd on a Debian container', () => {
  const NODE_ROLES = ['--tags', 'preinstall,containerd', '--skip-tags', 'kube_packages'];
  let check: Run;
  let first: Run;

  beforeAll(async () => {
    check = await playbook('site.yml', [...NODE_ROLES, '--check']);
    first = await playbook('site.yml', NODE_ROLES);
  });

  it('runs in check mode on a fresh node without failing or changing it', async () => {
    expect(check.stats.failures).toBe(0);
    expect(check.changed).toContain('Install containerd');
    // Checked before the real run below wrote them: check mode left the node as it was.
    expect(first.changed).toContain("Write containerd's configuration");
    expect(first.changed).toContain('Persist the kernel modules Kubernetes needs');
  });

  it('changes the node on the first run', () => {
    expect(first.stats.changed).toBeGreaterThanOrEqual(8);
    for (const task of [
      'Install the OS packages',
      'Comment out swap in /etc/fstab',
      'Persist the kernel modules Kubernetes needs',
      'Set the Kubernetes sysctls',
      "Pin the Kubernetes packages to the cluster's version",
      'Install containerd',
      "Write containerd's configuration",
      'Point crictl at containerd',
    ]) {
      expect(first.changed, task).toContain(task);
    }
  });

  it('skips only what needs a kernel or systemd of its own', () => {
    for (const task of [
      'Turn swap off now',
      'Load the kernel modules now',
      'Keep chrony running',
      'Keep containerd running',
    ]) {
      expect(first.skipped, task).toContain(task);
    }
  });

  it('writes the module list, the sysctl drop-in, the fstab and the apt pin', async () => {
    expect((await fileInNode('/etc/modules-load.d/kubernetes.conf')).split('\n')).toEqual(
      expect.arrayContaining(['overlay', 'br_netfilter']),
    );
    const sysctl = await fileInNode('/etc/sysctl.d/99-kubernetes.conf');
    for (const line of [
      'net.bridge.bridge-nf-call-iptables=1',
      'net.bridge.bridge-nf-call-ip6tables=1',
      'net.ipv4.ip_forward=1',
    ]) {
      expect(sysctl.split('\n')).toContain(line);
    }
    const fstab = await fileInNode('/etc/fstab');
    expect(fstab).toMatch(/^# \/swap\.img none swap sw 0 0$/m);
    expect(fstab).not.toMatch(/^\/swap\.img/m);
    const pin = await fileInNode('/etc/apt/preferences.d/kubernetes');
    expect(pin).toContain(`Pin: version ${versions.kubernetes_version}-${versions.kubernetes_package_revision}`);
    expect(pin).toContain('Package: kubelet kubeadm kubectl');
  });

  it('installs the pinned containerd', async () => {
    const [, installed] = (await exec('dpkg-query -W containerd')).trim().split('\t');
    expect(installed).toBe(versions.containerd_package_version);
  });

  it('writes a containerd config that containerd parses, with the systemd cgroup driver and the pinned pause image', async () => {
    // The node's own containerd, then this machine's (an older release) on a copy.
    const dumps = [
      (await podman.run(['exec', CONTAINER, 'containerd', '--config', '/etc/containerd/config.toml', 'config', 'dump']))
        .stdout,
    ];
    const copy = join(work, 'config.toml');
    await podman.run(['cp', `${CONTAINER}:/etc/containerd/config.toml`, copy]);
    dumps.push((await mustRun('containerd', ['--config', copy, 'config', 'dump'])).stdout);
    for (const dump of dumps) {
      expect(dump).toMatch(/^\s*SystemdCgroup = true$/m);
      expect(dump).toContain(`sandbox_image = "${versions.kubernetes_pause_image}"`);
      expect(dump).toContain('config_path = "/etc/containerd/certs.d"');
    }
    // A config containerd cannot parse is refused, so the checks above read ours.
    const broken = join(work, 'broken.toml');
    await writeFile(broken, `${await readFile(copy, 'utf8')}\n[plugins."io.containerd.grpc.v1.cri"\n`);
    expect((await runCommand('containerd', ['--config', broken, 'config', 'dump'])).code).not.toBe(0);
  });

  it('changes nothing on the second run', async () => {
    const second = await playbook('site.yml', NODE_ROLES);
    expect([...second.changed]).toEqual([]);
    expect(second.stats.changed).toBe(0);
  });
});

describe('reset on the same container', () => {
  let check: Run;
  let checkLeftBridge: boolean;
  let first: Run;

  beforeAll(async () => {
    // What a cluster leaves behind: the cni0 bridge, CNI config, Calico and kubelet state,
    // kube-proxy and Calico chains. The container has its own network namespace.
    await exec(
      [
        'ip link add cni0 type bridge',
        'mkdir -p /etc/cni/net.d /var/lib/calico /etc/kubernetes/manifests /var/lib/kubelet',
        'echo {} > /etc/cni/net.d/10-calico.conflist',
        'echo node > /var/lib/calico/nodename',
        'echo {} > /etc/kubernetes/manifests/kube-apiserver.yaml',
        'iptables -t nat -N KUBE-SERVICES',
        'iptables -N cali-FORWARD',
        'iptables -A cali-FORWARD -j ACCEPT',
      ].join(' && '),
    );
    expect(await exec('ls /sys/class/net')).toContain('cni0');
    check = await playbook('reset.yml', ['--check']);
    checkLeftBridge = (await exec('ls /sys/class/net')).split('\n').includes('cni0');
    first = await playbook('reset.yml');
  });

  it('in check mode reports what it would remove and removes nothing', () => {
    expect(check.changed).toContain("Remove the CNI configuration and the cluster's state");
    expect(check.stats.failures).toBe(0);
    expect(checkLeftBridge).toBe(true);
  });

  it('removes the cni0 bridge, the CNI config and the cluster state', async () => {
    expect(first.changed).toContain('Delete those interfaces');
    expect(first.changed).toContain("Remove the CNI configuration and the cluster's state");
    expect((await exec('ls /sys/class/net')).split('\n')).not.toContain('cni0');
    const left = await exec(
      'ls -d /etc/cni/net.d /var/lib/calico /etc/kubernetes /var/lib/kubelet 2>/dev/null || true',
    );
    expect(left.trim()).toBe('');
  });

  it('removes the iptables rules and chains Kubernetes and Calico made', async () => {
    expect(first.changed).toContain('Flush the rules when Kubernetes or a CNI plugin wrote any');
    const rules = await exec('iptables-save');
    expect(rules).not.toMatch(/KUBE-|cali-/);
  });

  it('changes nothing on the second run', async () => {
    const second = await playbook('reset.yml');
    expect([...second.changed]).toEqual([]);
    expect(second.stats.changed).toBe(0);
  });
});
