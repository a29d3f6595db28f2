/**
 * healthcare-api benchmark on the machine's PostgreSQL (a throwaway database and service
 * role): reads by id, searches, and bookings under contention, each under wrk after a warm-up (15 s for the first phase that reaches the database, 5 s for the others). Prints one
 * JSON line.
 *
 *   npm run bench:healthcare -- [--duration S] [--connections C] [--pool N] [--patients P] [--booking-days D] [--cpu-prof DIR]
 *
 * The service runs as `healthcare-api start` in a process of its own (log level warn,
 * pool of --pool connections, by default as many as --connections: every read commits its
 * audit row and waits for PostgreSQL's WAL flush, several milliseconds of disk on this
 * machine, and commits only share a flush when they are in flight together, so a pool
 * smaller than the load queues requests in the service that the database could have
 * taken); wrk shares the machine's cores with it and with PostgreSQL, and the load average
 * is reported beside the figures. Every read and search appends an
 * audit row, so each "read" is a SELECT and an INSERT in one statement.
 *
 * - `healthz`: `GET /healthz` of the same process (no key, no database): the floor, what the
 *   HTTP stack alone costs on this machine in this run.
 * - `readById`: `GET /Patient/<id>` over --patients seeded patients, ids at random.
 * - `search`: `GET /Patient?name=<prefix>&_count=10` with random two-letter prefixes.
 * - `booking`: `POST /Appointment` for random 15-minute slots of 10 practitioners over
 *   --booking-days days (30: 28,800 slots, after a warm-up on other days), 32 requests in
 *   flight: requests for one slot race each other and the slots already taken, and get 409
 *   DOUBLE_BOOKING, more often as the slots fill. `bookedPerSec` counts appointments the
 *   database accepted (the goal), `requestsPerSec` all answers, `conflictRatio` the share
 *   refused. Over too few slots the run would measure how fast they run out instead.
 *
 * Each phase also reports the CPU it cost per request (`cpuUsPerRequest`, from /proc/<pid>/stat
 * over the measured run): the service process and the PostgreSQL backends of its database.
 * Throughput moves with whatever else the shared machine runs; CPU per request much less, so
 * it is the figure to compare changes by. `--cpu-prof DIR` starts the service under
 * `node --cpu-prof` and leaves its profile in DIR when it exits.
 *
 * Needs `wrk` (apt-get install wrk) and PostgreSQL on 127.0.0.1 (TEST_DATABASE_URL).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { openPostgresDatabase } from '@memelab/adapters/postgres';
import { ApiKeyService, PatientService, PractitionerService } from '@memelab/clinic';
import { createClinicTestDatabase } from '../apps/healthcare-api/src/testing/healthcare-test-stack.ts';
import { CpuMeter, postgresBackendPids } from './process-cpu.ts';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    // Default: one connection per wrk connection (see the header).
    pool: { type: 'string' },
    patients: { type: 'string', default: '2000' },
    'booking-days': { type: 'string', default: '30' },
    'cpu-prof': { type: 'string' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const threads = Number(values.threads);
const pool = Number(values.pool ?? values.connections);
const bookingDays = Number(values['booking-days']);
if (!Number.isInteger(bookingDays) || bookingDays < 1 || bookingDays > 365) {
  throw new Error('--booking-days takes a whole number of days from 1 to 365');
}
const patientCount = Number(values.patients);
if (![duration, connections, threads, pool, patientCount].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error('--duration, --connections, --threads, --pool and --patients take positive whole numbers');
}
// Long enough for V8 to optimise the request path on a busy 2-core machine.
const WARMUP_SECONDS = 5;
const PRACTITIONERS = 10;
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

interface LoadResult {
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: number;
}

/** CPU time per answered request, in microseconds: the service process and its database's backends. */
interface CpuPerRequest {
  readonly service: number;
  readonly postgres: number;
}

const MS_PER_UNIT: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

const latencyMs = (output: string, percentile: string): number => {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (match === null) throw new Error(`wrk printed no ${percentile}% latency:\n${output}`);
  return round(Number(match[1]) * (MS_PER_UNIT[match[2] ?? 'ms'] ?? 1), 2);
};

const parseWrk = (output: string): LoadResult => {
  const reqPerSec = /^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1];
  if (reqPerSec === undefined) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const requests = /^\s*(\d+) requests in /m.exec(output)?.[1];
  if (requests === undefined) throw new Error(`wrk printed no request count:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(requests),
    reqPerSec: round(Number(reqPerSec)),
    p50Ms: latencyMs(output, '50'),
    p99Ms: latencyMs(output, '99'),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: socket === null ? 0 : socket.slice(1).reduce((sum, value) => sum + Number(value), 0),
  };
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const wrk = async (url: string, script: string, seconds: number): Promise<LoadResult> => {
  const { stdout } = await run(
    'wrk',
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '--latency', '-s', script, url],
    { maxBuffer: 4 * 1024 * 1024 },
  );
  return parseWrk(stdout);
};

const luaString = (value: string): string => JSON.stringify(value);

const startService = async (databaseUrl: string, port: number): Promise<ChildProcess> => {
  const profile = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`];
  const main = 'apps/healthcare-api/src/healthcare.main.ts';
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', main, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: String(pool),
      DB_POOL_WAIT_TIMEOUT_MS: '2000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`healthcare-api exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('healthcare-api did not become ready within 60 s');
};

const main = async (): Promise<void> => {
  const database = await createClinicTestDatabase();
  const scripts = await mkdtemp(path.join(tmpdir(), 'healthcare-bench-'));
  let child: ChildProcess | undefined;
  try {
    log(`seeding ${patientCount} patients and ${PRACTITIONERS} practitioners...`);
    const db = await openPostgresDatabase({ url: database.serviceUrl, maxConnections: 8 });
    const access = { keyId: 'bench', role: 'admin' as const, requestId: 'bench-seed' };
    const patients = new PatientService(db);
    const practitioners = new PractitionerService(db);
    const families = [
      'Abara',
      'Bjork',
      'Castellanos',
      'Dube',
      'Eriksen',
      'Fujita',
      'Garcia',
      'Haddad',
      'Ivanova',
      'Jensen',
    ];
    const patientIds: string[] = [];
    for (let batch = 0; batch < patientCount; batch += 50) {
      const created = await Promise.all(
        Array.from({ length: Math.min(50, patientCount - batch) }, (_, index) =>
          patients.create(access, {
            name: [{ family: `${families[(batch + index) % families.length]}${batch + index}`, given: ['Sam'] }],
            birthDate: '1970-01-01',
            identifier: [{ system: 'urn:bench:mrn', value: `B${batch + index}` }],
          }),
        ),
      );
      patientIds.push(...created.map((patient) => String(patient.id)));
    }
    const practitionerIds: string[] = [];
    for (let index = 0; index < PRACTITIONERS; index++) {
      practitionerIds.push(String((await practitioners.create(access, { name: [{ family: `Doc${index}` }] })).id));
    }
    const key = (await new ApiKeyService(db, { cacheTtlMs: 0 }).create('clerk', 'bench')).key;
    await db.close();

    const port = await freePort();
    child = await startService(database.serviceUrl, port);
    const base = `http://127.0.0.1:${port}`;
    const header = `wrk.headers["authorization"] = ${luaString(`Bearer ${key}`)}`;
    const seed =
      'local counter = 0\nfunction setup(thread) counter = counter + 1; thread:set("seed", counter) end\nfunction init(args) math.randomseed(os.time() * 100 + seed) end';

    const readScript = path.join(scripts, 'read.lua');
    await writeFile(
      readScript,
      `${seed}\n${header}\nlocal ids = {${patientIds.map(luaString).join(',')}}\nrequest = function() return wrk.format("GET", "/Patient/" .. ids[math.random(#ids)]) end\n`,
    );
    const searchScript = path.join(scripts, 'search.lua');
    const prefixes = families.map((family) => family.slice(0, 2).toLowerCase());
    await writeFile(
      searchScript,
      `${seed}\n${header}\nlocal prefixes = {${prefixes.map(luaString).join(',')}}\nrequest = function() return wrk.format("GET", "/Patient?_count=10&name=" .. prefixes[math.random(#prefixes)]) end\n`,
    );
    // Warm-up books in 2033, the measured run in 2032, so the measured slots start empty.
    const bookingScript = (name: string, firstDay: string): Promise<string> => {
      const file = path.join(scripts, name);
      return writeFile(file, bookingLua(Date.parse(firstDay) / 1000)).then(() => file);
    };
    const bookingLua = (slotStart: number): string =>
      `${seed}
${header}
wrk.headers["content-type"] = "application/fhir+json"
local doctors = {${practitionerIds.map(luaString).join(',')}}
local patients = {${patientIds.slice(0, 200).map(luaString).join(',')}}
request = function()
  local slot = math.random(0, ${bookingDays} * 96 - 1)
  local start = ${slotStart} + slot * 900
  local body = string.format('{"resourceType":"Appointment","status":"booked","start":"%s","end":"%s","participant":[{"actor":{"reference":"Patient/%s"}},{"actor":{"reference":"Practitioner/%s"}}]}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 900),
    patients[math.random(#patients)], doctors[math.random(#doctors)])
  return wrk.format("POST", "/Appointment", nil, body)
end
`;
    const bookWarmupScript = await bookingScript('book-warmup.lua', '2033-01-05T00:00:00Z');
    const bookScript = await bookingScript('book.lua', '2032-01-05T00:00:00Z');

    const loadBefore = loadavg()[0] ?? 0;
    const servicePid = child.pid;
    const databaseName = decodeURIComponent(new URL(database.serviceUrl).pathname.slice(1));
    const meter = (): CpuMeter =>
      new CpuMeter({
        service: async () => (servicePid === undefined ? [] : [servicePid]),
        postgres: () => postgresBackendPids(databaseName),
      });
    /** A measured wrk run with the CPU it cost per request, in microseconds. */
    const measured = async (url: string, script: string): Promise<LoadResult & { cpuUsPerRequest: CpuPerRequest }> => {
      const cpu = meter();
      await cpu.start();
      const result = await wrk(url, script, duration);
      const spent = await cpu.stop();
      const perRequest = (ms: number | undefined): number =>
        result.requests === 0 ? 0 : Math.round(((ms ?? 0) * 1000) / result.requests);
      return {
        ...result,
        cpuUsPerRequest: { service: perRequest(spent.service), postgres: perRequest(spent.postgres) },
      };
    };
    const measure = async (
      name: string,
      url: string,
      script: string,
      warmupSeconds = WARMUP_SECONDS,
    ): Promise<LoadResult & { cpuUsPerRequest: CpuPerRequest }> => {
      log(`${name}: warming up ${warmupSeconds}s, then ${duration}s at ${connections} connections...`);
      await wrk(url, script, warmupSeconds);
      const result = await measured(url, script);
      log(`${name}: ${JSON.stringify(result)}`);
      return result;
    };
    const floorScript = path.join(scripts, 'healthz.lua');
    await writeFile(floorScript, 'request = function() return wrk.format("GET", "/healthz") end\n');
    const healthz = await measure('healthz', base, floorScript);
    // The first phase that reaches the database warms the whole request path (pg, zod, the
    // store): on a contended machine that takes several seconds of wall time, so longer.
    const readById = await measure('readById', base, readScript, 3 * WARMUP_SECONDS);
    const search = await measure('search', base, searchScript);
    log(`booking: warming up ${WARMUP_SECONDS}s on other days, then ${duration}s at ${connections} connections...`);
    await wrk(base, bookWarmupScript, WARMUP_SECONDS);
    const countBookings = () =>
      database.owner(async (client) => Number((await client.query('SELECT count(*) AS n FROM appointment')).rows[0].n));
    const before = await countBookings();
    const booking = await measured(base, bookScript);
    const booked = (await countBookings()) - before;
    const loadAfter = loadavg()[0] ?? 0;
    const result = {
      benchmark: 'healthcare',
      database: 'postgres',
      poolSize: pool,
      connections,
      durationSeconds: duration,
      patients: patientCount,
      healthzFloor: {
        reqPerSec: healthz.reqPerSec,
        p50Ms: healthz.p50Ms,
        p99Ms: healthz.p99Ms,
        cpuUsPerRequest: healthz.cpuUsPerRequest,
      },
      readById: {
        reqPerSec: readById.reqPerSec,
        p50Ms: readById.p50Ms,
        p99Ms: readById.p99Ms,
        errors: readById.non2xx + readById.socketErrors,
        cpuUsPerRequest: readById.cpuUsPerRequest,
      },
      search: {
        reqPerSec: search.reqPerSec,
        p50Ms: search.p50Ms,
        p99Ms: search.p99Ms,
        errors: search.non2xx + search.socketErrors,
        cpuUsPerRequest: search.cpuUsPerRequest,
      },
      booking: {
        requestsPerSec: booking.reqPerSec,
        bookedPerSec: round(booked / duration),
        booked,
        conflicts: booking.non2xx,
        conflictRatio: booking.requests === 0 ? 0 : round(booking.non2xx / booking.requests, 3),
        slots: PRACTITIONERS * 96 * bookingDays,
        p50Ms: booking.p50Ms,
        p99Ms: booking.p99Ms,
        socketErrors: booking.socketErrors,
        cpuUsPerRequest: booking.cpuUsPerRequest,
      },
      goals: {
        readsPerSec: 3000,
        readP99Ms: 20,
        bookingsPerSec: 500,
        met: readById.reqPerSec >= 3000 && readById.p99Ms < 20 && booked / duration >= 500,
      },
      machine: { cpus: cpus().length, loadAvg1mBefore: round(loadBefore, 2), loadAvg1mAfter: round(loadAfter, 2) },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    await rm(scripts, { recursive: true, force: true });
    await database.drop();
  }
};

await main();
