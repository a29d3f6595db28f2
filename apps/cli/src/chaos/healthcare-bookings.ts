import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Pool } from 'undici';
import { HealthcareWorkload } from '../stress/healthcare-workload.ts';
import { runStress } from '../stress/stress-run.ts';
import { freePort, runTypeScript, TSX_LOADER } from '../testing/memelab-process.ts';
import type { ChaosReport } from './chaos-runner.ts';
import { judgeBookings } from './healthcare-bookings-invariants.ts';
import { createPrivatePostgres } from './private-postgres.ts';
import { readyAgainAt, watchReadiness } from './readiness-watch.ts';
import { EventLog, passedAll, standaloneExperiment, writeChaosReport } from './standalone-experiment.ts';

const HEALTHCARE_MAIN = fileURLToPath(new URL('../../../healthcare-api/src/healthcare.main.ts', import.meta.url));

const RATE_PER_SECOND = 20;
/** Clerks racing for one slot: the workload's bookings rarely collide in a short run. */
const RACERS = 6;
const RACE_EVERY_MS = 500;
const SLOT_MS = 15 * 60_000;
/** Bookings weigh most: they are what the restart could corrupt. */
const MIX = 'read=2,search=1,book=4';

/** Runs a healthcare-api command to its end and returns what it printed. */
const healthcare = async (args: readonly string[], env: Record<string, string>): Promise<string> => {
  const { code, stdout, stderr } = await runTypeScript(HEALTHCARE_MAIN, args, {
    ...process.env,
    LOG_LEVEL: 'warn',
    ...env,
  });
  if (code !== 0) throw new Error(`healthcare-api ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  return stdout;
};

const startHealthcare = async (
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, HEALTHCARE_MAIN, 'start'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 90_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`healthcare-api exited ${child.exitCode}: ${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { child, url, output: () => output };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`healthcare-api was not ready within 90 s: ${output}`);
};

/**
 * An undici pool that remembers the id of every appointment it was answered 201 for, so
 * the run can look each acknowledged booking up in the database afterwards.
 */
const recordingBookings = (pool: Pool, acknowledged: string[]): Pool =>
  new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'request') return Reflect.get(target, property, receiver);
      return async (options: Parameters<Pool['request']>[0]) => {
        const answer = await target.request(options);
        if (options.method !== 'POST' || options.path !== '/Appointment' || answer.statusCode !== 201) return answer;
        const body = (await answer.body.json()) as { id?: string };
        if (typeof body.id === 'string') acknowledged.push(body.id);
        return { ...answer, body: { json: async () => body, dump: async () => {} } };
      };
    },
  });

interface Racing {
  readonly slots: number;
  readonly answers: Record<string, number>;
}

/**
 * Every RACE_EVERY_MS until stopped, RACERS concurrent bookings of one new slot with one
 * practitioner (slots a month ahead, apart from the workload's): at most one may win, the
 * others are told 409, or 503 while the database is away.
 */
const raceForSlots = async (
  url: string,
  key: string,
  acknowledged: string[],
  statuses: Record<string, number>,
  stop: AbortSignal,
): Promise<Racing> => {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const create = async (path: string, body: unknown): Promise<string> => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}`);
    return ((await response.json()) as { id: string }).id;
  };
  const tag = Math.random().toString(36).slice(2, 8);
  const patient = await create('/Patient', {
    resourceType: 'Patient',
    name: [{ family: `Race${tag}`, given: ['Chaos'] }],
    birthDate: '1980-01-01',
  });
  const practitioner = await create('/Practitioner', {
    resourceType: 'Practitioner',
    name: [{ family: `Race${tag}` }],
  });
  const firstSlot = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 30 * 86_400_000;
  const answers: Record<string, number> = {};
  let slots = 0;
  const book = async (start: number): Promise<void> => {
    let status: string;
    try {
      const response = await fetch(`${url}/Appointment`, {
        method: 'POST',
        headers,
        signal: AbortSignal.timeout(15_000),
        body: JSON.stringify({
          resourceType: 'Appointment',
          status: 'booked',
          start: new Date(start).toISOString(),
          end: new Date(start + SLOT_MS).toISOString(),
          participant: [
            { actor: { reference: `Patient/${patient}` } },
            { actor: { reference: `Practitioner/${practitioner}` } },
          ],
        }),
      });
      status = String(response.status);
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      if (response.status === 201 && typeof body.id === 'string') acknowledged.push(body.id);
    } catch (error) {
      status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection';
    }
    answers[status] = (answers[status] ?? 0) + 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const races: Promise<unknown>[] = [];
  while (!stop.aborted) {
    const start = firstSlot + slots * SLOT_MS;
    slots++;
    races.push(Promise.all(Array.from({ length: RACERS }, () => book(start))));
    await sleep(RACE_EVERY_MS);
  }
  await Promise.all(races);
  return { slots, answers };
};

const OVERLAPS_SQL = `
  SELECT count(*)::int AS overlaps
  FROM appointment a JOIN appointment b
    ON a.practitioner_id = b.practitioner_id AND a.id < b.id
   AND tstzrange(a.start_at, a.end_at, '[)') && tstzrange(b.start_at, b.end_at, '[)')
  WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
    AND a.deleted_at IS NULL AND b.deleted_at IS NULL`;

export const HEALTHCARE_BOOKINGS = standaloneExperiment({
  name: 'healthcare-bookings',
  title: 'healthcare-api: PostgreSQL restart during bookings',
  hypothesis:
    'A fast PostgreSQL restart while clerks book appointments fails requests with 503 (retry later), never 500; ' +
    'no practitioner is double booked, even by clerks racing for one slot across the restart, and every booking ' +
    'answered 201 is in the database.',
  run: async ({ scale, outDir, log }) => {
    const events = new EventLog(log);
    const cleanups: Array<() => Promise<unknown>> = [];
    try {
      events.note('starting a private PostgreSQL and healthcare-api');
      const postgres = await createPrivatePostgres(await freePort());
      cleanups.push(() => postgres.destroy());
      const env = { DATABASE_URL: postgres.url, DB_POOL_WAIT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '5000' };
      await healthcare(['migrate'], env);
      const key = (await healthcare(['keys', 'create', '--role', 'clerk', '--label', 'chaos'], env)).trim();
      const api = await startHealthcare(env);
      cleanups.push(async () => {
        api.child.kill('SIGKILL');
        await new Promise((resolve) =>
          api.child.exitCode !== null ? resolve(undefined) : api.child.once('exit', resolve),
        );
      });
      // The first use of a key costs a scrypt hash; one request caches it, so the workload's
      // concurrent set-up does not queue fifty hashes on a busy machine.
      const warm = await fetch(`${api.url}/Patient?name=Wa&_count=1`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(60_000),
      });
      if (warm.status !== 200) throw new Error(`healthcare-api answered ${warm.status} to the clerk's first search`);
      await warm.body?.cancel();
      const readiness = watchReadiness(() => `${api.url}/readyz`);
      cleanups.push(async () => readiness.stop());

      const acknowledged: string[] = [];
      const statuses: Record<string, number> = {};
      const stopLoad = new AbortController();
      let faultStart = Number.POSITIVE_INFINITY;
      let faultEnd = Number.POSITIVE_INFINITY;
      let loadStarted: () => void = () => {};
      const loadBegins = new Promise<void>((resolve) => {
        loadStarted = resolve;
      });
      const leadInMs = Math.round(10_000 * Math.max(scale, 0.5));
      const fault = (async () => {
        try {
          await loadBegins;
          await sleep(leadInMs);
          faultStart = performance.now();
          events.note('fault: PostgreSQL stopped (fast shutdown)');
          await postgres.stop('fast');
          await sleep(Math.max(1000, Math.round(5000 * scale)));
          await postgres.start();
          faultEnd = performance.now();
          events.note('healed: PostgreSQL started');
          await sleep(Math.round(20_000 * Math.max(scale, 0.5)));
        } finally {
          stopLoad.abort();
        }
      })();
      const faultSettled = fault.then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      events.note(
        `load: ${RATE_PER_SECOND} req/s, ${MIX}; ${RACERS} clerks racing for one slot every ${RACE_EVERY_MS} ms`,
      );
      let racing: Promise<Racing> = Promise.resolve({ slots: 0, answers: {} });
      const summary = await runStress({
        target: new URL(api.url),
        shape: { kind: 'rate', ratePerSecond: RATE_PER_SECOND, rampMs: 0 },
        durationMs: 5 * 60_000,
        stopSignal: stopLoad.signal,
        mix: MIX,
        timeoutMs: 15_000,
        drainMs: 0,
        maxInFlight: 500,
        connections: 16,
        workload: (pool, timeoutMs) => new HealthcareWorkload(recordingBookings(pool, acknowledged), key, timeoutMs),
        onLoadStart: () => {
          racing = raceForSlots(api.url, key, acknowledged, statuses, stopLoad.signal);
          loadStarted();
        },
        onResult: (_kind, result) => {
          statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        },
      });
      stopLoad.abort();
      const raced = await racing;
      const faultError = await faultSettled;
      if (faultError !== undefined) throw new Error(`restarting PostgreSQL failed: ${faultError.message}`);
      const readyBy = performance.now() + 60_000;
      while (readiness.changes.at(-1)?.ready !== true && performance.now() < readyBy) await sleep(250);
      readiness.stop();

      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      let overlaps: number;
      let found: string[];
      try {
        overlaps = (await client.query<{ overlaps: number }>(OVERLAPS_SQL)).rows[0]?.overlaps ?? -1;
        found = (
          await client.query<{ id: string }>(
            "SELECT id::text FROM appointment WHERE id = ANY($1::uuid[]) AND status = 'booked' AND deleted_at IS NULL",
            [acknowledged],
          )
        ).rows.map((row) => row.id);
      } finally {
        await client.end();
      }
      const invariants = judgeBookings({
        acknowledged,
        found,
        overlaps,
        statuses,
        readyAtEnd: readiness.changes.at(-1)?.ready === true,
      });
      const droppedInWindow = readiness.changes.some(
        (change) => !change.ready && change.at >= faultStart - 1000 && change.at <= faultEnd + 5000,
      );
      const recoveredAt = readyAgainAt(readiness.changes, faultEnd);
      for (const change of readiness.changes) events.note(change.ready ? 'API ready' : 'API not ready', change.at);
      const { timeline: loadTimeline, ...load } = summary;
      const report: ChaosReport = {
        experiment: 'healthcare-bookings',
        title: HEALTHCARE_BOOKINGS.title,
        hypothesis: HEALTHCARE_BOOKINGS.hypothesis,
        startedAt: events.startedAt,
        scale,
        passed: passedAll(invariants),
        invariants,
        timeline: events.events,
        faultSeconds: Math.round((faultEnd - faultStart) / 100) / 10,
        recoveryMs: recoveredAt === undefined ? null : Math.round(recoveredAt - faultEnd),
        serverErrors: Object.fromEntries(
          Object.entries(statuses).filter(([status]) => status.startsWith('5') || !/^\d/.test(status)),
        ),
        load,
        loadTimeline,
        figures: {
          requests: Object.values(statuses).reduce((sum, count) => sum + count, 0),
          bookingsAcknowledged: acknowledged.length,
          bookingsFound: found.length,
          conflicts409: statuses['409'] ?? 0,
          racedSlots: raced.slots,
          racedAnswers: raced.answers,
          unavailable503: statuses['503'] ?? 0,
          overlaps,
          readinessDropped: droppedInWindow,
        },
      };
      // The service's own error lines (value-free by design) say what any 5xx other than 503 was.
      const serviceErrors = api
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":"error"') || line.includes('"level":50'))
        .slice(-20);
      await writeChaosReport(report, outDir, { summary, details: { statuses, serviceErrors } });
      return report;
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    }
  },
});
