import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderAlertmanagerConfig } from './test/alertmanager-config.ts';
import { tool } from './test/tools.ts';

const PROMETHEUS_DIR = fileURLToPath(new URL('./prometheus/', import.meta.url));

describe('Prometheus rules, checked by promtool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memelab-rules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parse (promtool check rules)', async () => {
    const files = (await readdir(join(PROMETHEUS_DIR, 'rules'))).map((name) => join(PROMETHEUS_DIR, 'rules', name));
    expect(files.length).toBeGreaterThan(5);
    const result = await tool('promtool', ['check', 'rules', ...files]);
    expect(result.output).not.toContain('FAILED');
    expect(result.code, result.output).toBe(0);
  });

  it('fire on the series they are for and stay silent on healthy ones (promtool test rules)', async () => {
    const result = await tool('promtool', ['test', 'rules', join(PROMETHEUS_DIR, 'tests', 'alerts.test.yaml')]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('the tests fail when a burn-rate threshold is loosened', async () => {
    // A copy of the rules with the fast-burn factor raised from 14.4 to 20 must fail the
    // "1.1 x 14.4 fires" cases: the tests really pin the thresholds.
    await mkdir(join(dir, 'rules'), { recursive: true });
    await mkdir(join(dir, 'tests'), { recursive: true });
    for (const name of await readdir(join(PROMETHEUS_DIR, 'rules'))) {
      const text = await readFile(join(PROMETHEUS_DIR, 'rules', name), 'utf8');
      await writeFile(join(dir, 'rules', name), text.replaceAll('> 0.0144', '> 0.02'));
    }
    // Only the accept SLO's cases, so the run stays short.
    const tests = parse(await readFile(join(PROMETHEUS_DIR, 'tests', 'alerts.test.yaml'), 'utf8')) as {
      tests: { name: string }[];
    };
    tests.tests = tests.tests.filter((test) => test.name.startsWith('MemelabMemeAcceptErrorBudgetBurn'));
    expect(tests.tests.length).toBe(3);
    await writeFile(join(dir, 'tests', 'alerts.test.yaml'), stringify(tests));
    const result = await tool('promtool', ['test', 'rules', join(dir, 'tests', 'alerts.test.yaml')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'MemelabMemeAcceptErrorBudgetBurn: memelab_meme_accept_errors: burning at 1.1 x 14.4',
    );
  });
});

describe('Alertmanager config, checked by amtool', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memelab-alertmanager-'));
    const version = (await tool('amtool', ['--version'])).output;
    const [, minor] = /version 0\.(\d+)/.exec(version) ?? [];
    config = (await renderAlertmanagerConfig(dir, { botTokenFileSupported: Number(minor) >= 26 })).path;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is valid (amtool check-config), with its template', async () => {
    const result = await tool('amtool', ['check-config', config]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('1 templates');
  });

  it('keeps the chat ids out of git: render-config refuses a chat id that is not a number', async () => {
    const secrets = join(dir, 'bad-secrets');
    await mkdir(secrets);
    for (const tenant of ['memelab', 'healthcare']) await writeFile(join(secrets, `chat-id-${tenant}`), '42');
    await writeFile(join(secrets, 'chat-id-platform'), '42; rm -rf /');
    const script = fileURLToPath(new URL('./alertmanager/render-config.sh', import.meta.url));
    const template = fileURLToPath(new URL('./alertmanager/alertmanager.yaml', import.meta.url));
    const result = await tool('sh', [script, template, secrets, join(dir, 'out.yaml')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('chat-id-platform must hold a Telegram chat id');
    const committed = await readFile(template, 'utf8');
    expect(committed).not.toMatch(/chat_id: -?\d/);
    expect(committed).not.toMatch(/bot_token: /);
  });

  const routes: [string, string[], string][] = [
    ['memelab critical', ['tenant=memelab', 'severity=critical'], 'telegram-memelab-critical'],
    ['memelab warning', ['tenant=memelab', 'severity=warning'], 'telegram-memelab-warning'],
    ['healthcare critical', ['tenant=healthcare', 'severity=critical'], 'telegram-healthcare-critical'],
    ['healthcare warning', ['tenant=healthcare', 'severity=warning'], 'telegram-healthcare-warning'],
    ['platform critical', ['tenant=platform', 'severity=critical'], 'telegram-platform-critical'],
    ['platform warning', ['tenant=platform', 'severity=warning'], 'telegram-platform-warning'],
    ['no tenant, critical', ['alertname=TargetDown', 'severity=critical'], 'telegram-platform-critical'],
    ['info, any tenant', ['tenant=memelab', 'severity=info'], 'blackhole'],
  ];
  for (const [name, labels, receiver] of routes) {
    it(`routes ${name} to ${receiver} (amtool config routes test)`, async () => {
      const result = await tool('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${config}`,
        `--verify.receivers=${receiver}`,
        ...labels,
      ]);
      expect(result.code, result.output).toBe(0);
      expect(result.output.split('\n')[0]?.trim()).toBe(receiver);
    });
  }

  it('a wrong expectation fails amtool routes test', async () => {
    const result = await tool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${config}`,
      '--verify.receivers=telegram-memelab-critical',
      'tenant=healthcare',
      'severity=critical',
    ]);
    expect(result.code).not.toBe(0);
  });
});
