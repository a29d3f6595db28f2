/**
 * No secret in git: Secrets are generated from untracked files (deploy/k8s/secrets, from
 * the committed *.example files) or come from SealedSecrets; every reference the workloads
 * make resolves to a key those generate; and neither the rendered manifests nor the
 * repository hold a literal credential.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ARGOCD_TARGETS,
  type K8sObject,
  OVERLAYS,
  REPOSITORY_ROOT,
  renderArgocd,
  renderOverlay,
  renderSecrets,
} from './lib/render.ts';
import { workloadsOf } from './lib/workloads.ts';

const run = promisify(execFile);

/** Every (namespace, Secret name, key) a rendered object reads. */
const secretReferences = (
  objects: readonly K8sObject[],
): { namespace: string; name: string; key: string; optional: boolean; from: string }[] => {
  const references: ReturnType<typeof secretReferences> = [];
  for (const workload of workloadsOf(objects)) {
    const from = `${workload.object.kind} ${workload.name}`;
    for (const container of [...(workload.podSpec.initContainers ?? []), ...workload.podSpec.containers]) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref)
          references.push({
            namespace: workload.namespace,
            name: ref.name,
            key: ref.key,
            optional: ref.optional === true,
            from,
          });
      }
      for (const source of container.envFrom ?? []) {
        if (source.secretRef)
          references.push({
            namespace: workload.namespace,
            name: source.secretRef.name,
            key: '*',
            optional: false,
            from,
          });
      }
    }
    for (const volume of workload.podSpec.volumes ?? []) {
      for (const item of volume.secret?.items ?? [{ key: '*' }]) {
        if (volume.secret)
          references.push({
            namespace: workload.namespace,
            name: volume.secret.secretName,
            key: item.key,
            optional: false,
            from,
          });
      }
    }
  }
  for (const auth of objects.filter((object) => object.kind === 'TriggerAuthentication')) {
    for (const ref of auth.spec.secretTargetRef ?? []) {
      references.push({
        namespace: auth.metadata.namespace as string,
        name: ref.name,
        key: ref.key,
        optional: false,
        from: `TriggerAuthentication ${auth.metadata.name}`,
      });
    }
  }
  return references;
};

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  it('reads only Secrets and keys that deploy/k8s/secrets generates', async () => {
    const generated = [
      ...(await renderSecrets('memelab')).objects,
      ...(await renderSecrets('healthcare')).objects,
    ].filter((object) => object.kind === 'Secret');
    const references = secretReferences(await renderOverlay(overlay));
    expect(references.length).toBeGreaterThan(20);
    for (const reference of references) {
      const secret = generated.find(
        (object) => object.metadata.name === reference.name && object.metadata.namespace === reference.namespace,
      );
      const what = `${reference.from} reads ${reference.namespace}/${reference.name}[${reference.key}]`;
      expect(secret, what).toBeDefined();
      if (reference.key !== '*') expect(Object.keys(secret?.data ?? {}), what).toContain(reference.key);
    }
  });
});

describe.each(['memelab', 'healthcare'] as const)('secrets/%s', (tenant) => {
  it('generates stable names from the untracked files, in the tenant namespace, with every value from the files', async () => {
    const { objects, values } = await renderSecrets(tenant);
    const secrets = objects.filter((object) => object.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(1);
    const stored = secrets.flatMap((secret) =>
      Object.values(secret.data as Record<string, string>).map((value) => Buffer.from(value, 'base64').toString()),
    );
    expect(stored.sort()).toEqual([...values].sort());
    for (const secret of secrets) {
      expect(secret.metadata.namespace).toBe(tenant);
      expect(secret.metadata.name).not.toMatch(/-[a-z0-9]{10}$/);
    }
    expect(objects.find((object) => object.kind === 'Namespace')?.metadata.name).toBe(tenant);
  });
});

it('renders no Secret and no generated value outside deploy/k8s/secrets', async () => {
  const values = [...(await renderSecrets('memelab')).values, ...(await renderSecrets('healthcare')).values];
  const rendered = [
    ...(await Promise.all(OVERLAYS.map(renderOverlay))),
    ...(await Promise.all(ARGOCD_TARGETS.map(renderArgocd))),
  ].flat();
  expect(rendered.filter((object) => object.kind === 'Secret')).toEqual([]);
  const text = JSON.stringify(rendered);
  for (const value of values) expect(text).not.toContain(value);
});

const CREDENTIAL_PATTERNS: readonly [string, RegExp][] = [
  // Key material, not just the header (tests of scanners carry the header alone).
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*\n[A-Za-z0-9+/=]{40,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ['a Slack or Telegram bot token', /\bxox[baprs]-[A-Za-z0-9-]{10,}|\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/],
  ['a Kubernetes Secret with data', /^kind:\s*Secret\s*$[\s\S]*?^(data|stringData):/m],
];
/** In the Kubernetes and Argo CD files: a password in a URL or a password-like key with a literal value. */
const MANIFEST_PATTERNS: readonly [string, RegExp][] = [
  ['credentials in a URL', /[a-z][a-z0-9+.-]*:\/\/[^\s:/@$"'`]+:(?!\$\()[^\s@/"'`$]+@/i],
  [
    'a literal password',
    /^\s*-?\s*(?:[\w.-]*(?:password|passwd|secret|token|api[_-]?key|cookie))[ \t]*[:=][ \t]*["']?(?!change-me|\$\(|["']?[ \t]*$)[^\s"'#{}[\]]{6,}/im,
  ],
];

describe('the repository', () => {
  it('holds no credential in any tracked or unignored file', async () => {
    const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: REPOSITORY_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const files = stdout
      .split('\n')
      .filter((file) => file !== '' && !/\.(png|jpe?g|webp|gif|ttf|woff2?|br|gz|ico)$|package-lock\.json$/.test(file));
    const findings: string[] = [];
    for (const file of files) {
      const text = await readFile(join(REPOSITORY_ROOT, file), 'utf8').catch(() => '');
      for (const [what, pattern] of CREDENTIAL_PATTERNS) if (pattern.test(text)) findings.push(`${file}: ${what}`);
      if (/^deploy\/(k8s|argocd)\/.*\.ya?ml$|^deploy\/k8s\/secrets\//.test(file)) {
        for (const [what, pattern] of MANIFEST_PATTERNS) if (pattern.test(text)) findings.push(`${file}: ${what}`);
      }
    }
    expect(findings).toEqual([]);
  });

  it('keeps only the *.example files of deploy/k8s/secrets', async () => {
    const { stdout } = await run(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', 'deploy/k8s/secrets'],
      { cwd: REPOSITORY_ROOT },
    );
    const files = stdout.split('\n').filter((file) => file !== '');
    expect(files.filter((file) => !file.endsWith('.example') && !file.endsWith('kustomization.yaml'))).toEqual([]);
    const { stdout: ignored } = await run(
      'git',
      ['check-ignore', 'deploy/k8s/secrets/memelab/postgres.env', 'deploy/k8s/secrets/healthcare/minio.env'],
      { cwd: REPOSITORY_ROOT },
    );
    expect(ignored.trim().split('\n')).toHaveLength(2);
  });

  it.each([
    ['a password in a URL', 'DATABASE_URL: postgres://memelab:s3cr3tpass@postgres:5432/memelab', 0],
    ['a literal password', '  POSTGRES_PASSWORD: s3cr3tpass', 1],
    ['a literal token', 'api_token=abcdef123456', 1],
  ])('the scan catches %s', (_what, line, pattern) => {
    expect((MANIFEST_PATTERNS[pattern] as [string, RegExp])[1].test(line)).toBe(true);
  });

  it.each([
    'POSTGRES_PASSWORD=change-me',
    'ADMIN_API_KEY=',
    '  - {name: AMQP_URL, value: "amqp://$(RABBITMQ_USER):$(RABBITMQ_PASSWORD)@$(RABBITMQ_HOST)"}',
    '    - {parameter: password, name: rabbitmq-credentials, key: password}',
  ])('the scan lets the placeholder or reference %s through', (line) => {
    for (const [, pattern] of MANIFEST_PATTERNS) expect(pattern.test(line)).toBe(false);
  });
});
