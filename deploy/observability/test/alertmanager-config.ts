import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ALERTMANAGER_DIR = fileURLToPath(new URL('../alertmanager/', import.meta.url));

export interface RenderedAlertmanagerConfig {
  readonly path: string;
  readonly chatIds: { readonly memelab: string; readonly healthcare: string; readonly platform: string };
}

/**
 * The committed Alertmanager config made runnable in `dir`, the way a deployment does it:
 * chat ids filled in by render-config.sh from Secret-like files, the bot token in a file, the
 * templates beside it. `telegramApiUrl` points the receivers at a stand-in for the Bot API.
 * Alertmanager releases before bot_token_file (Debian's 0.25) get the token inline instead.
 */
export const renderAlertmanagerConfig = async (
  dir: string,
  options: { readonly botTokenFileSupported: boolean; readonly telegramApiUrl?: string; readonly botToken?: string },
): Promise<RenderedAlertmanagerConfig> => {
  const secrets = join(dir, 'secrets');
  const templates = join(dir, 'templates');
  await mkdir(secrets, { recursive: true });
  await mkdir(templates, { recursive: true });
  const chatIds = { memelab: '-1001', healthcare: '-1002', platform: '1003' };
  for (const [tenant, id] of Object.entries(chatIds)) await writeFile(join(secrets, `chat-id-${tenant}`), `${id}\n`);
  const botToken = options.botToken ?? '123456:test-token';
  await writeFile(join(secrets, 'bot-token'), botToken);
  await writeFile(join(templates, 'telegram.tmpl'), await readFile(join(ALERTMANAGER_DIR, 'telegram.tmpl')));
  const rendered = join(dir, 'rendered.yaml');
  await run('sh', [
    join(ALERTMANAGER_DIR, 'render-config.sh'),
    join(ALERTMANAGER_DIR, 'alertmanager.yaml'),
    secrets,
    rendered,
  ]);
  let text = (await readFile(rendered, 'utf8'))
    .replace('/etc/alertmanager/templates/', `${templates}/`)
    .replace('/etc/alertmanager/secrets/alertmanager-telegram/bot-token', join(secrets, 'bot-token'));
  if (!options.botTokenFileSupported) text = text.replace(/bot_token_file: .*/, `bot_token: '${botToken}'`);
  if (options.telegramApiUrl !== undefined)
    text = text.replace(/(\n\s+)(bot_token(?:_file)?: .*)/, `$1$2$1api_url: ${options.telegramApiUrl}`);
  const path = join(dir, 'alertmanager.yaml');
  await writeFile(path, text);
  return { path, chatIds };
};
