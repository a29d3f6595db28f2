/**
 * Terraform: formatting, the structure of every .tf file (parsed with hcl2json, since
 * `terraform validate` needs the provider download), the variables' validation rules run
 * by Terraform itself, and the two templates rendered by Terraform's own templatefile:
 * the Ansible inventory (read back by ansible-inventory) and the cloud-init user data
 * (checked by cloud-init's schema).
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  ANSIBLE_DIR,
  ansibleEnv,
  ensureInfraTools,
  mustRun,
  REPOSITORY_ROOT,
  runCommand,
  TERRAFORM_DIR,
  terraformEnv,
} from './tools.ts';

type Block = Record<string, unknown>;
interface TerraformFile {
  terraform?: Block[];
  provider?: Record<string, Block[]>;
  variable?: Record<string, Block[]>;
  output?: Record<string, Block[]>;
  locals?: Block[];
  resource?: Record<string, Record<string, Block[]>>;
}

const tfFiles = async (): Promise<string[]> => (await readdir(TERRAFORM_DIR)).filter((name) => name.endsWith('.tf'));

const parseAll = async (): Promise<Map<string, TerraformFile>> => {
  const parsed = new Map<string, TerraformFile>();
  for (const name of await tfFiles()) {
    parsed.set(name, (await parseHcl(name, await readFile(join(TERRAFORM_DIR, name), 'utf8'))) as TerraformFile);
  }
  return parsed;
};

const merged = <K extends keyof TerraformFile>(
  files: Map<string, TerraformFile>,
  key: K,
): NonNullable<TerraformFile[K]>[] =>
  [...files.values()].map((file) => file[key]).filter((value): value is NonNullable<TerraformFile[K]> => !!value);

/** An HCL interpolation as hcl2json writes it: "${expression}". */
const hcl = (expression: string): string => `\${${expression}}`;

const single = (blocks: Block[] | undefined): Block => {
  expect(blocks).toHaveLength(1);
  return (blocks as Block[])[0] as Block;
};

/** Variables that are valid for every plan below; the bad case overrides some of them. */
const GOOD_VARIABLES = {
  proxmox_endpoint: 'https://pve.home.arpa:8006/',
  proxmox_node: 'pve',
  ssh_public_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkYxkN3oVh1r7bVq9mZ0y8u5b4Rk2yq0Qm3S8c1Zk7T ops@laptop'],
};

let files: Map<string, TerraformFile>;
let work: string;

beforeAll(async () => {
  ensureInfraTools();
  files = await parseAll();
  work = await mkdtemp(join(tmpdir(), 'memelab-terraform-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('terraform files', () => {
  it('are formatted (terraform fmt -check -recursive)', async () => {
    const result = await runCommand('terraform', ['fmt', '-check', '-recursive', '-diff', TERRAFORM_DIR], {
      env: terraformEnv(),
    });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('pin every provider to one exact version, bpg/proxmox among them', () => {
    const terraform = single(merged(files, 'terraform').flat());
    const required = single(terraform.required_providers as Block[]) as Record<
      string,
      { source: string; version: string }
    >;
    expect(required.proxmox?.source).toBe('bpg/proxmox');
    for (const [name, provider] of Object.entries(required)) {
      expect(provider.version, `${name} is pinned`).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(terraform.required_version).toMatch(/^>= 1\.\d+/);
  });

  it('type, describe and validate every variable', () => {
    const variables = Object.assign({}, ...merged(files, 'variable')) as Record<string, Block[]>;
    expect(Object.keys(variables).length).toBeGreaterThan(20);
    for (const [name, blocks] of Object.entries(variables)) {
      const variable = single(blocks);
      expect(variable.type, `${name} has a type`).toMatch(/^\$\{[\s\S]+\}$/);
      expect(String(variable.description ?? ''), `${name} is described`).toMatch(/\w.{15,}/);
      // A yes/no switch has nothing to validate; everything else is checked before a plan.
      if (variable.type !== hcl('bool')) {
        const rules = (variable.validation ?? []) as Block[];
        expect(rules.length, `${name} is validated`).toBeGreaterThan(0);
        for (const rule of rules)
          expect(String(rule.error_message)).toMatch(new RegExp(`^${name}|^every entry of ${name}`));
      }
    }
  });

  it('take the Proxmox credentials from the environment only', () => {
    const provider = single(merged(files, 'provider').flatMap((p) => p.proxmox ?? []));
    for (const secret of ['api_token', 'password', 'username', 'auth_ticket', 'csrf_prevention_token']) {
      expect(provider, `provider sets no ${secret}`).not.toHaveProperty(secret);
    }
    const ssh = single(provider.ssh as Block[]);
    expect(ssh).not.toHaveProperty('password');
    expect(ssh).not.toHaveProperty('private_key');
    expect(ssh.agent).toBe(true);
  });

  it('contain no literal secret', async () => {
    const names = [...(await tfFiles()), 'terraform.tfvars.example', 'templates/user-data.yaml.tftpl'];
    for (const name of names) {
      const text = await readFile(join(TERRAFORM_DIR, name), 'utf8');
      expect(text, name).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(text, name).not.toMatch(/![\w-]+=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      expect(text, name).not.toMatch(/PVEAPIToken=/);
      expect(text, name).not.toMatch(/^\s*(api_token|password|secret|token)\s*=\s*"/m);
      expect(text, name).not.toMatch(/\$[1256y]\$[^$]+\$[./A-Za-z0-9]{20,}/);
    }
  });

  it('mark every output that carries a secret as sensitive', () => {
    const outputs = Object.assign({}, ...merged(files, 'output')) as Record<string, Block[]>;
    const secretLike = Object.keys(outputs).filter((name) => /password|token|secret|private|key/.test(name));
    expect(secretLike).toContain('vm_console_password');
    for (const name of secretLike) expect(single(outputs[name]).sensitive, name).toBe(true);
  });

  it('default to the MetalLB range of the homelab overlay and of the Ansible group_vars', async () => {
    const variables = Object.assign({}, ...merged(files, 'variable')) as Record<string, Block[]>;
    const range = single(variables.metallb_address_range).default as string;
    const pool = parseAllDocuments(
      await readFile(join(REPOSITORY_ROOT, 'deploy/k8s/overlays/homelab/platform/metallb.yaml'), 'utf8'),
    )
      .map((doc) => doc.toJS() as { kind: string; spec: { addresses: string[] } })
      .find((doc) => doc.kind === 'IPAddressPool');
    expect(pool?.spec.addresses).toContain(range);
    const groupVars = parseYaml(await readFile(join(ANSIBLE_DIR, 'group_vars/all/cluster.yml'), 'utf8')) as {
      metallb_address_range: string;
    };
    expect(groupVars.metallb_address_range).toBe(range);
  });

  it('enable the QEMU guest agent on the template and on every node', () => {
    const vms = Object.assign(
      {},
      ...merged(files, 'resource').map((r) => r.proxmox_virtual_environment_vm ?? {}),
    ) as Record<string, Block[]>;
    expect(Object.keys(vms).sort()).toEqual(['node', 'template']);
    for (const [name, blocks] of Object.entries(vms)) {
      expect(single(single(blocks).agent as Block[]).enabled, name).toBe(true);
    }
    const node = single(vms.node);
    expect(single(node.clone as Block[]).vm_id).toBe(hcl('proxmox_virtual_environment_vm.template.vm_id'));
    expect(single(vms.template).template).toBe(true);
  });

  it('render the inventory only from values that are also outputs', async () => {
    const template = await readFile(join(TERRAFORM_DIR, 'templates/inventory.ini.tftpl'), 'utf8');
    const referenced = new Set<string>();
    for (const match of template.matchAll(/\$\{\s*([a-z_]+)\s*\}/g)) referenced.add(match[1] as string);
    for (const match of template.matchAll(/%\{\s*for\s+[\w, ]+\s+in\s+([a-z_]+)\s*~?\}/g))
      referenced.add(match[1] as string);
    // Loop variables are not inputs.
    for (const loopVariable of ['name', 'ip']) referenced.delete(loopVariable);

    const outputs = Object.assign({}, ...merged(files, 'output')) as Record<string, Block[]>;
    const locals = Object.assign({}, ...merged(files, 'locals').flat()) as Record<string, unknown>;
    const inventoryVars = locals.inventory_vars as Record<string, unknown>;
    expect([...referenced].sort()).toEqual(Object.keys(inventoryVars).sort());
    for (const name of referenced) {
      expect(single(outputs[name]).value, `output ${name}`).toBe(`\${local.inventory_vars.${name}}`);
    }
    const inventoryFile = Object.assign({}, ...merged(files, 'resource').map((r) => r.local_file ?? {})) as Record<
      string,
      Block[]
    >;
    expect(single(inventoryFile.ansible_inventory).content).toBe(
      hcl(`templatefile("${hcl('path.module')}/templates/inventory.ini.tftpl", local.inventory_vars)`),
    );
  });
});

describe('terraform without the provider', () => {
  // Only the variables and the templates: neither needs a provider, so Terraform itself
  // evaluates the validation rules and templatefile here.
  const prepare = async (dir: string, render: string): Promise<void> => {
    await cp(join(TERRAFORM_DIR, 'variables.tf'), join(dir, 'variables.tf'));
    await cp(join(TERRAFORM_DIR, 'templates'), join(dir, 'templates'), { recursive: true });
    await writeFile(join(dir, 'render.tf'), render);
    await mustRun('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: terraformEnv() });
  };

  it('rejects bad variables with their own messages, all at once', async () => {
    const dir = await mkdtemp(join(work, 'validate-'));
    await prepare(dir, '');
    await writeFile(join(dir, 'good.tfvars.json'), JSON.stringify(GOOD_VARIABLES));
    const good = await runCommand('terraform', ['plan', '-input=false', '-no-color', '-var-file=good.tfvars.json'], {
      cwd: dir,
      env: terraformEnv(),
    });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);

    const bad = {
      ...GOOD_VARIABLES,
      proxmox_endpoint: 'http://pve:8006/api2/json',
      control_plane: { count: 2, cores: 1, memory_mb: 1024, disk_gb: 40 },
      vlan_id: 5000,
      metallb_address_range: '192.168.10.200/29',
      ssh_public_keys: ['-----BEGIN OPENSSH PRIVATE KEY-----'],
    };
    await writeFile(join(dir, 'bad.tfvars.json'), JSON.stringify(bad));
    const result = await runCommand('terraform', ['plan', '-input=false', '-no-color', '-var-file=bad.tfvars.json'], {
      cwd: dir,
      env: terraformEnv(),
    });
    expect(result.code).not.toBe(0);
    const errors = result.stderr.replace(/\s+/g, ' ');
    for (const message of [
      'proxmox_endpoint must look like https://HOST:8006/',
      'control_plane.count must be 1, 3 or 5',
      'control_plane.cores must be 2-64',
      'control_plane.memory_mb must be 2048-262144',
      'vlan_id must be 1-4094',
      'metallb_address_range must be FIRST-LAST',
      'every entry of ssh_public_keys must be an OpenSSH public key',
    ]) {
      expect(errors).toContain(message);
    }
  });

  describe('templates rendered by templatefile', () => {
    let inventory: string;
    let userData: string;
    const sample = {
      control_plane: { 'memelab-cp-1': '192.168.10.10' },
      workers: { 'memelab-w-1': '192.168.10.20', 'memelab-w-2': '192.168.10.21' },
      ansible_user: 'kube',
      metallb_address_range: '192.168.10.240-192.168.10.250',
      control_plane_endpoint: '192.168.10.10:6443',
    };

    beforeAll(async () => {
      const dir = await mkdtemp(join(work, 'render-'));
      await prepare(
        dir,
        `locals {
  sample = jsondecode(${JSON.stringify(JSON.stringify(sample))})
}
output "inventory" {
  value = templatefile("\${path.module}/templates/inventory.ini.tftpl", local.sample)
}
output "user_data" {
  value = templatefile("\${path.module}/templates/user-data.yaml.tftpl", {
    hostname        = "memelab-cp-1"
    fqdn            = "memelab-cp-1.home.arpa"
    user            = "kube"
    password_hash   = "$2a$10$abcdefghijklmnopqrstuu5EjkEfmC9Sx8DcJAa0ELzN6T2HZ1Xk2"
    ssh_public_keys = var.ssh_public_keys
    timezone        = "Europe/Berlin"
    packages        = ["qemu-guest-agent", "python3", "python3-apt"]
  })
}
`,
      );
      await writeFile(join(dir, 'good.tfvars.json'), JSON.stringify(GOOD_VARIABLES));
      await mustRun(
        'terraform',
        ['apply', '-auto-approve', '-input=false', '-no-color', '-var-file=good.tfvars.json'],
        {
          cwd: dir,
          env: terraformEnv(),
        },
      );
      inventory = (await mustRun('terraform', ['output', '-raw', 'inventory'], { cwd: dir, env: terraformEnv() }))
        .stdout;
      userData = (await mustRun('terraform', ['output', '-raw', 'user_data'], { cwd: dir, env: terraformEnv() }))
        .stdout;
      await writeFile(join(dir, 'hosts.ini'), inventory);
      await writeFile(join(dir, 'user-data.yaml'), userData);
    });

    it('give an inventory ansible-inventory reads into the three groups', async () => {
      const file = join(work, 'hosts.ini');
      await writeFile(file, inventory);
      const listed = JSON.parse(
        (await mustRun('ansible-inventory', ['-i', file, '--list'], { env: ansibleEnv() })).stdout,
      ) as Record<string, { hosts?: string[]; children?: string[] }> & {
        _meta: { hostvars: Record<string, Record<string, string>> };
      };
      expect(listed.control_plane?.hosts).toEqual(['memelab-cp-1']);
      expect(listed.workers?.hosts).toEqual(['memelab-w-1', 'memelab-w-2']);
      expect(listed.k8s_cluster?.children?.sort()).toEqual(['control_plane', 'workers']);
      const worker = listed._meta.hostvars['memelab-w-2'];
      expect(worker?.ansible_host).toBe('192.168.10.21');
      expect(worker?.ansible_user).toBe('kube');
      expect(worker?.metallb_address_range).toBe('192.168.10.240-192.168.10.250');
      expect(listed._meta.hostvars['memelab-cp-1']?.kubeadm_control_plane_endpoint).toBe('192.168.10.10:6443');
    });

    it('give user data that cloud-init accepts, with the guest agent installed and started', async () => {
      const file = join(work, 'user-data.yaml');
      await writeFile(file, userData);
      const result = await runCommand('cloud-init', ['schema', '--config-file', file]);
      expect(`${result.stdout}${result.stderr}`).toContain('Valid cloud-config');
      expect(result.code).toBe(0);

      expect(userData.startsWith('#cloud-config\n')).toBe(true);
      const config = parseYaml(userData) as {
        hostname: string;
        users: { name: string; ssh_authorized_keys: string[]; lock_passwd: boolean }[];
        packages: string[];
        runcmd: string[][];
        ssh_pwauth: boolean;
      };
      expect(config.hostname).toBe('memelab-cp-1');
      expect(config.users[0]?.name).toBe('kube');
      expect(config.users[0]?.ssh_authorized_keys).toEqual(GOOD_VARIABLES.ssh_public_keys);
      expect(config.ssh_pwauth).toBe(false);
      expect(config.packages).toContain('qemu-guest-agent');
      expect(config.runcmd).toContainEqual(['systemctl', 'enable', '--now', 'qemu-guest-agent.service']);
    });

    it('make cloud-init reject user data with a mistake in it', async () => {
      const file = join(work, 'broken-user-data.yaml');
      await writeFile(file, userData.replace('ssh_pwauth: false', 'ssh_pwauth: [nope]'));
      const result = await runCommand('cloud-init', ['schema', '--config-file', file]);
      expect(result.code).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain('ssh_pwauth');
    });
  });
});
