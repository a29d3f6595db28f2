import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, runCommand } from '../../deploy/test/podman.ts';

export { type CommandResult, runCommand };

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const INFRA_DIR = join(REPOSITORY_ROOT, 'infra');
export const TERRAFORM_DIR = join(INFRA_DIR, 'terraform');
export const ANSIBLE_DIR = join(INFRA_DIR, 'ansible');
export const WORKFLOWS_DIR = join(REPOSITORY_ROOT, '.github/workflows');

/** Installs (as root) or names the Debian packages the suite needs; throws when they are missing. */
export const ensureInfraTools = (): void => {
  execFileSync('bash', [join(INFRA_DIR, 'test/ensure-infra-tools.sh')], { stdio: 'inherit' });
};

/** Runs a command and rejects with its output when it exits non-zero. */
export const mustRun = async (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> => {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`.slice(-6000),
    );
  }
  return result;
};

/** Environment for terraform: no CLI configuration of this machine, no interactive hints. */
export const terraformEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1',
  CHECKPOINT_DISABLE: '1',
});

/**
 * Environment for ansible-* commands: the repository's ansible.cfg, no colour, and no
 * fact cache or retry files written into the working tree.
 */
export const ansibleEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_FORCE_COLOR: '0',
  ANSIBLE_GATHERING: 'implicit',
  ANSIBLE_CACHE_PLUGIN: 'memory',
  ANSIBLE_RETRY_FILES_ENABLED: 'false',
  ANSIBLE_HOST_KEY_CHECKING: 'false',
  ...extra,
});
