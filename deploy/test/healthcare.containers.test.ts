/**
 * The healthcare-api image, built from the repository's Dockerfile with podman and run
 * hardened (read-only root filesystem, no capabilities, UID 10001) against the machine's
 * PostgreSQL: `migrate` as the schema owner, `keys create` and `start` as the service role,
 * a patient created through the container, the container restarted, the patient read back.
 *
 * `npm run test:containers`; the tools come from ensure-container-tools.sh as for the stack.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/cli/src/testing/process-stack.ts';
import { createThrowawayDatabase, type ThrowawayDatabase, withAdmin } from '../../packages/adapters/src/testing.ts';
import { HARDENED_RUN_FLAGS, hardenedRunArgs } from './container-stack.ts';
import { buildLocalBaseImages } from './local-base-images.ts';
import { createPodman, type Podman, runCommand } from './podman.ts';
import { buildImage, REPOSITORY_ROOT } from './project-images.ts';
import { startTcpRelay, type TcpRelay } from './tcp-relay.ts';

const STATE_DIR = join(REPOSITORY_ROOT, '.tmp/containers');
const ENSURE_TOOLS = join(REPOSITORY_ROOT, 'deploy/test/ensure-container-tools.sh');
const TAG = 'localhost/memelab/healthcare-api:test';

let podman: Podman;
let database: ThrowawayDatabase;
let relay: TcpRelay | undefined;
const id = `healthcare-ct-${process.pid}`;
const network = `${id}-net`;
const serviceRole = `hc_ct_${randomBytes(4).toString('hex')}`;
const cleanups: Array<() => Promise<unknown>> = [];

/** The machine's PostgreSQL as the containers reach it: through a relay on the network's gateway. */
let ownerUrl: string;
let serviceUrl: string;

beforeAll(async () => {
  const tools = await runCommand('bash', [ENSURE_TOOLS], { echo: /^installing / });
  if (tools.code !== 0) throw new Error(tools.stderr.trim());
  podman = await createPodman(STATE_DIR);
  const base = await buildLocalBaseImages(podman, STATE_DIR);
  process.stderr.write(`\n[containers] building ${TAG} from the Dockerfile (target healthcare-api)\n`);
  await buildImage(podman, { target: 'healthcare-api', tag: TAG, base });

  database = await createThrowawayDatabase();
  cleanups.push(async () => {
    await database.drop();
    await withAdmin((admin) => admin.query(`DROP ROLE IF EXISTS ${serviceRole}`));
  });
  await podman.run(['network', 'create', network]);
  cleanups.push(() => podman.attempt(['network', 'rm', '--force', network]));
  // The bridge, and so the gateway address for the relay, exists only while a container is attached.
  cleanups.push(() => podman.attempt(['rm', '--force', '--time', '0', `${id}-holder`]));
  await podman.run([
    'run',
    '--detach',
    '--name',
    `${id}-holder`,
    '--network',
    network,
    '--entrypoint',
    'node',
    TAG,
    '-e',
    'setInterval(() => {}, 1 << 30)',
  ]);
  const gateway = JSON.parse((await podman.run(['network', 'inspect', network])).stdout)[0]?.subnets?.[0]?.gateway as
    | string
    | undefined;
  if (gateway === undefined) throw new Error(`podman network ${network} has no gateway`);
  const target = new URL(database.url);
  relay = await startTcpRelay(gateway, Number(target.port || 5432));
  cleanups.push(() => relay?.close() ?? Promise.resolve());
  target.hostname = gateway;
  target.port = String(relay.port);
  ownerUrl = target.toString();
  target.username = serviceRole;
  serviceUrl = target.toString();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Runs the image's command once, hardened, and returns its stdout. */
const once = async (env: Record<string, string>, command: readonly string[]): Promise<string> => {
  const envFlags = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  return (await podman.run(['run', '--rm', '--network', network, ...HARDENED_RUN_FLAGS, ...envFlags, TAG, ...command]))
    .stdout;
};

const waitForReady = async (url: string, name: string): Promise<void> => {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok === true) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const logs = await podman.attempt(['logs', '--tail', '40', name]);
  throw new Error(`${name} did not become ready; its last logs:\n${logs.stdout}${logs.stderr}`);
};

describe('the healthcare-api image', () => {
  it('runs as 10001 with a health check, and ships neither PGlite nor sources', async () => {
    const [config] = JSON.parse((await podman.run(['image', 'inspect', TAG])).stdout) as {
      Config: { User?: string; Labels?: Record<string, string> };
      Healthcheck?: { Test?: string[] };
    }[];
    expect(config?.Config.User).toBe('10001:10001');
    expect(config?.Healthcheck?.Test?.[0]).toBe('CMD');
    expect(config?.Config.Labels?.['org.opencontainers.image.title']).toBe('healthcare-api');
    const listing = await podman.run([
      'run',
      '--rm',
      '--entrypoint',
      'node',
      TAG,
      '-e',
      "const fs=require('fs');console.log(JSON.stringify({app:fs.readdirSync('/app').sort(),pglite:fs.existsSync('/app/node_modules/@electric-sql')}))",
    ]);
    expect(JSON.parse(listing.stdout)).toEqual({
      app: ['healthcare-api.mjs', 'healthcare-api.mjs.map', 'migrations', 'node_modules'],
      pglite: false,
    });
  });

  it('migrates, creates a key, serves a patient, and still has it after a restart', async () => {
    await once({ DATABASE_URL: ownerUrl, DB_SERVICE_ROLE: serviceRole }, ['migrate']);
    const key = (await once({ DATABASE_URL: serviceUrl }, ['keys', 'create', '--role', 'clerk'])).trim();
    expect(key).toMatch(/^hck_[0-9a-f]{16}_[\w-]{43}$/);

    const port = await freePort();
    const name = `${id}-service`;
    cleanups.push(() => podman.attempt(['rm', '--force', '--time', '0', name]));
    await podman.run(
      hardenedRunArgs(name, network, TAG, [
        '--env',
        `DATABASE_URL=${serviceUrl}`,
        '--publish',
        `127.0.0.1:${port}:8090`,
      ]),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForReady(url, name);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/fhir+json' };
    const created = await fetch(`${url}/Patient`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceType: 'Patient',
        name: [{ family: 'Container', given: ['Cora'] }],
        birthDate: '1990-01-01',
      }),
    });
    expect(created.status).toBe(201);
    const patient = (await created.json()) as { id: string; meta: { versionId: string } };
    expect((await fetch(`${url}/Patient/${patient.id}`)).status).toBe(401);

    await podman.run(['restart', '--time', '20', name]);
    await waitForReady(url, name);

    const read = await fetch(`${url}/Patient/${patient.id}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: patient.id,
      meta: { versionId: '1' },
      name: [{ family: 'Container' }],
    });
    const logs = await podman.run(['logs', name]);
    expect(`${logs.stdout}${logs.stderr}`).toMatch(/shut down cleanly/);
    expect(`${logs.stdout}${logs.stderr}`).not.toMatch(/Container|Cora|1990-01-01/);
  });
});
