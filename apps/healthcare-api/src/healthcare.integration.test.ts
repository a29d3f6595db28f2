import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClinicTestDatabase,
  createClinicTestDatabase,
  type HealthcareTestServer,
  startHealthcareTestServer,
} from './testing/healthcare-test-stack.ts';
import { type Answer, type CallOptions, caller } from './testing/http-client.ts';

const FAMILY = 'Okonkwo-Brontë';
const GIVEN = 'Åsa';
const BIRTH_DATE = '1987-06-15';
const MRN = 'MRN-55501234';

const patient = (overrides: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  name: [{ family: FAMILY, given: [GIVEN] }],
  birthDate: BIRTH_DATE,
  gender: 'female',
  identifier: [{ system: 'urn:example:mrn', value: MRN }],
  telecom: [{ system: 'phone', value: '+44 20 7946 0999' }],
  ...overrides,
});

const practitioner = (family: string) => ({
  resourceType: 'Practitioner',
  name: [{ family, given: ['Ines'] }],
  qualification: [{ code: { text: 'MD' } }],
});

const appointment = (patientId: string, practitionerId: string, start: string, end: string, status = 'booked') => ({
  resourceType: 'Appointment',
  status,
  start,
  end,
  participant: [
    { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
    { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
  ],
});

describe('healthcare-api on PostgreSQL', () => {
  let database: ClinicTestDatabase;
  let server: HealthcareTestServer;
  let call: (method: string, path: string, options?: CallOptions) => Promise<Answer>;
  let reader: string;
  let clerk: string;
  let admin: string;

  const count = (table: string): Promise<number> =>
    database.owner(async (client) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

  beforeAll(async () => {
    database = await createClinicTestDatabase();
    server = await startHealthcareTestServer(database);
    call = caller(server.baseUrl);
    [reader, clerk, admin] = await Promise.all([
      server.keyFor('reader'),
      server.keyFor('clerk'),
      server.keyFor('admin'),
    ]);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  describe('access', () => {
    it('answers 401 AUTHENTICATION_REQUIRED without a key and 401 INVALID_API_KEY with a wrong or unknown one', async () => {
      const none = await call('GET', '/Patient');
      const malformed = await call('GET', '/Patient', { key: 'letmein' });
      const unknown = await call('GET', '/Patient', { key: `hck_0123456789abcdef_${'A'.repeat(43)}` });
      const wrongSecret = await call('GET', '/Patient', { key: `${reader.slice(0, 21)}${'B'.repeat(43)}` });

      expect([none.status, none.body.code]).toEqual([401, 'AUTHENTICATION_REQUIRED']);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      for (const answer of [malformed, unknown, wrongSecret])
        expect([answer.status, answer.body.code]).toEqual([401, 'INVALID_API_KEY']);
    });

    it('lets each role do what it may on every route and refuses the rest with 403 ROLE_NOT_ALLOWED', async () => {
      const created = await call('POST', '/Practitioner', { key: clerk, body: practitioner('Roleson') });
      const id = String(created.body.id);
      const routes: [string, string, 'reader' | 'clerk' | 'admin'][] = [
        ['GET', '/Patient', 'reader'],
        ['GET', '/Practitioner', 'reader'],
        ['GET', '/Appointment', 'reader'],
        ['GET', `/Practitioner/${id}`, 'reader'],
        ['POST', '/Patient', 'clerk'],
        ['POST', '/Practitioner', 'clerk'],
        ['POST', '/Appointment', 'clerk'],
        ['PUT', `/Practitioner/${id}`, 'clerk'],
        ['PATCH', `/Practitioner/${id}`, 'clerk'],
        ['DELETE', `/Practitioner/${id}`, 'clerk'],
        ['GET', '/audit', 'admin'],
      ];
      const keys = { reader, clerk, admin };
      const rank = { reader: 0, clerk: 1, admin: 2 };
      for (const [method, path, needed] of routes) {
        for (const role of ['reader', 'clerk', 'admin'] as const) {
          // A body that does not parse: an allowed role gets past authorization to 400, a refused one never gets that far.
          const answer = await call(method, path, {
            key: keys[role],
            ...(method === 'GET' ? {} : { raw: '{"not json' }),
          });
          if (rank[role] >= rank[needed]) {
            expect([method, path, role, answer.status === 403 || answer.status === 401]).toEqual([
              method,
              path,
              role,
              false,
            ]);
          } else {
            expect([method, path, role, answer.status, answer.body.code]).toEqual([
              method,
              path,
              role,
              403,
              'ROLE_NOT_ALLOWED',
            ]);
          }
        }
      }
    });

    it('refuses a role before the body is read: a reader posting a malformed 1 MB body gets 403, not 400 or 413', async () => {
      const answer = await call('POST', '/Patient', { key: reader, raw: `{${'x'.repeat(1024 * 1024)}` });

      expect([answer.status, answer.body.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    });

    it('serves health, readiness, metrics, the OpenAPI document and its docs page without a key', async () => {
      expect((await call('GET', '/healthz')).status).toBe(200);
      expect((await call('GET', '/readyz')).body).toMatchObject({ ready: true, checks: { database: { ok: true } } });
      const openapi = await call('GET', '/openapi.json');
      expect(Object.keys(openapi.body.paths as object)).toEqual(
        expect.arrayContaining(['/Patient', '/Appointment/{id}', '/audit']),
      );
      expect((await fetch(`${server.baseUrl}/docs/`)).status).toBe(200);
      const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /healthcare_http_request_duration_seconds_count\{method="GET",route="\/Patient",status="401"\}/,
      );
      expect(metrics).toMatch(/healthcare_db_pool_connections\{state="max"\} 10/);
      expect(metrics).toMatch(/healthcare_db_pool_connections\{state="waiting"\} 0/);
    });
  });

  describe('patients', () => {
    it('creates, reads, searches, replaces, patches and soft-deletes a patient with ETags, and audits each access', async () => {
      const created = await call('POST', '/Patient', { key: clerk, body: patient() });
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      expect(created.headers.get('etag')).toBe('W/"1"');
      expect(created.headers.get('location')).toBe(`/Patient/${id}/_history/1`);
      expect(created.body).toMatchObject({
        resourceType: 'Patient',
        meta: { versionId: '1' },
        name: [{ family: FAMILY }],
      });

      const read = await call('GET', `/Patient/${id}`, { key: reader });
      expect(read.body).toEqual(created.body);

      const byName = await call('GET', `/Patient?name=${encodeURIComponent('okon')}`, { key: reader });
      const byGiven = await call('GET', `/Patient?name=${encodeURIComponent('åS')}`, { key: reader });
      const byIdentifier = await call('GET', `/Patient?identifier=${encodeURIComponent(`urn:example:mrn|${MRN}`)}`, {
        key: reader,
      });
      const byValue = await call('GET', `/Patient?identifier=${MRN}&birthdate=${BIRTH_DATE}&gender=female`, {
        key: reader,
      });
      for (const bundle of [byName, byGiven, byIdentifier, byValue]) {
        expect((bundle.body.entry as { resource: { id: string } }[]).map((entry) => entry.resource.id)).toEqual([id]);
      }

      const replaced = await call('PUT', `/Patient/${id}`, {
        key: clerk,
        headers: { 'if-match': 'W/"1"' },
        body: patient({ id, gender: 'other' }),
      });
      expect([replaced.status, replaced.headers.get('etag'), replaced.body.gender]).toEqual([200, 'W/"2"', 'other']);

      const patched = await call('PATCH', `/Patient/${id}`, {
        key: clerk,
        headers: { 'if-match': 'W/"2"' },
        contentType: 'application/merge-patch+json',
        body: { telecom: null, birthDate: '1987-06-16' },
      });
      expect([patched.status, patched.body.birthDate, patched.body.telecom, patched.body.meta]).toEqual([
        200,
        '1987-06-16',
        undefined,
        expect.objectContaining({ versionId: '3' }),
      ]);

      const stale = await call('DELETE', `/Patient/${id}`, { key: clerk, headers: { 'if-match': 'W/"2"' } });
      expect([stale.status, stale.body.code]).toEqual([412, 'VERSION_MISMATCH']);
      const deleted = await call('DELETE', `/Patient/${id}`, { key: clerk, headers: { 'if-match': 'W/"3"' } });
      expect(deleted.status).toBe(204);
      const gone = await call('GET', `/Patient/${id}`, { key: reader });
      expect([gone.status, gone.body.code]).toEqual([410, 'RESOURCE_DELETED']);
      const afterDelete = await call('GET', `/Patient?identifier=${MRN}`, { key: reader });
      expect(afterDelete.body.entry).toEqual([]);
      expect(
        await database.owner(
          async (client) =>
            (await client.query('SELECT deleted_at FROM patient WHERE id = $1', [id])).rows[0].deleted_at,
        ),
      ).toBeInstanceOf(Date);

      const audit = await call('GET', `/audit?resourceId=${id}`, { key: admin });
      const events = audit.body.events as { action: string; fields: string[]; requestId: string; actorRole: string }[];
      expect(events.map((event) => event.action)).toEqual([
        'create',
        'read',
        'search',
        'search',
        'search',
        'search',
        'update',
        'patch',
        'delete',
      ]);
      expect(events[0]).toMatchObject({ requestId: created.headers.get('x-correlation-id'), actorRole: 'clerk' });
      expect(events[1]).toMatchObject({
        requestId: read.headers.get('x-correlation-id'),
        actorRole: 'reader',
        fields: ['birthDate', 'gender', 'identifier', 'name', 'telecom'],
      });
      expect(events[6]?.fields).toEqual(['gender']);
      expect(events[7]?.fields).toEqual(['birthDate', 'telecom']);
    });

    it('answers 404 RESOURCE_NOT_FOUND for an unknown id and 400 INVALID_PATH for one that is not a UUID', async () => {
      const missing = await call('GET', '/Patient/00000000-0000-4000-8000-000000000000', { key: reader });
      const malformed = await call('GET', "/Patient/1'%20OR%20'1'='1", { key: reader });
      const route = await call('GET', '/Nothing', { key: reader });

      expect([missing.status, missing.body.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_PATH']);
      expect([route.status, route.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('keeps an identifier to one live patient (409 IDENTIFIER_IN_USE) and frees it when that patient is deleted', async () => {
      const identifier = [{ system: 'urn:example:nhs', value: 'NHS-777' }];
      const first = await call('POST', '/Patient', { key: clerk, body: patient({ identifier }) });
      const second = await call('POST', '/Patient', { key: clerk, body: patient({ identifier }) });
      expect([second.status, second.body.code]).toEqual([409, 'IDENTIFIER_IN_USE']);

      await call('DELETE', `/Patient/${first.body.id}`, { key: clerk });
      const third = await call('POST', '/Patient', { key: clerk, body: patient({ identifier }) });
      expect(third.status).toBe(201);
    });

    it('refuses a body id that differs from the URL with 400 ID_MISMATCH', async () => {
      const created = await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) });
      const answer = await call('PUT', `/Patient/${created.body.id}`, {
        key: clerk,
        body: patient({ id: '00000000-0000-4000-8000-000000000001', identifier: [] }),
      });
      expect([answer.status, answer.body.code]).toEqual([400, 'ID_MISMATCH']);
      const onCreate = await call('POST', '/Patient', {
        key: clerk,
        body: patient({ id: created.body.id, identifier: [] }),
      });
      expect([onCreate.status, onCreate.body.code]).toEqual([400, 'ID_MISMATCH']);
    });

    it('gives exactly one of 20 concurrent updates from the same version, and 412 VERSION_MISMATCH to the rest', async () => {
      const created = await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) });
      const id = String(created.body.id);

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          call('PATCH', `/Patient/${id}`, {
            key: clerk,
            headers: { 'if-match': 'W/"1"' },
            contentType: 'application/merge-patch+json',
            body: { name: [{ family: `Racer${index}` }] },
          }),
        ),
      );

      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, ...Array(19).fill(412)]);
      expect(
        answers.filter((answer) => answer.status === 412).every((answer) => answer.body.code === 'VERSION_MISMATCH'),
      ).toBe(true);
      const winner = answers.find((answer) => answer.status === 200);
      const now = await call('GET', `/Patient/${id}`, { key: reader });
      expect(now.body.meta).toMatchObject({ versionId: '2' });
      expect(now.body.name).toEqual(winner?.body.name);
    });
  });

  describe('practitioners and paging', () => {
    it('pages a search with a cursor in a stable order, each record once, and refuses a forged cursor', async () => {
      const family = `Pager${Date.now()}`;
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        ids.push(
          String(
            (await call('POST', '/Practitioner', { key: clerk, body: practitioner(`${family}${index}`) })).body.id,
          ),
        );
      }
      const seen: string[] = [];
      let next: string | undefined = `/Practitioner?name=${family.toLowerCase()}&_count=2`;
      let pages = 0;
      while (next !== undefined && pages < 10) {
        const page = await call('GET', next, { key: reader });
        seen.push(...(page.body.entry as { resource: { id: string } }[]).map((entry) => entry.resource.id));
        next = (page.body.link as { relation: string; url: string }[]).find((link) => link.relation === 'next')?.url;
        pages++;
      }
      expect([pages, seen]).toEqual([3, ids]);

      const forged = await call('GET', '/Practitioner?_cursor=bm90LWEtY3Vyc29y', { key: reader });
      const tooBig = await call('GET', '/Practitioner?_count=101', { key: reader });
      expect([forged.status, forged.body.code]).toEqual([400, 'INVALID_CURSOR']);
      expect([tooBig.status, tooBig.body.code]).toEqual([400, 'INVALID_QUERY']);
    });
  });

  describe('appointments', () => {
    let patientId: string;
    let practitionerId: string;

    beforeAll(async () => {
      patientId = String((await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) })).body.id);
      practitionerId = String(
        (await call('POST', '/Practitioner', { key: clerk, body: practitioner('Booker') })).body.id,
      );
    });

    it('books back-to-back slots, refuses an overlap with 409 DOUBLE_BOOKING and frees a cancelled slot', async () => {
      const first = await call('POST', '/Appointment', {
        key: clerk,
        body: appointment(patientId, practitionerId, '2031-03-01T09:00:00Z', '2031-03-01T09:30:00Z'),
      });
      const adjacent = await call('POST', '/Appointment', {
        key: clerk,
        body: appointment(patientId, practitionerId, '2031-03-01T09:30:00Z', '2031-03-01T10:00:00Z'),
      });
      const overlap = await call('POST', '/Appointment', {
        key: clerk,
        body: appointment(patientId, practitionerId, '2031-03-01T10:15:00+01:00', '2031-03-01T10:45:00+01:00'),
      });
      expect([first.status, adjacent.status, overlap.status, overlap.body.code]).toEqual([
        201,
        201,
        409,
        'DOUBLE_BOOKING',
      ]);

      const cancelled = await call('PATCH', `/Appointment/${first.body.id}`, {
        key: clerk,
        contentType: 'application/merge-patch+json',
        body: { status: 'cancelled' },
      });
      const rebooked = await call('POST', '/Appointment', {
        key: clerk,
        body: appointment(patientId, practitionerId, '2031-03-01T09:10:00Z', '2031-03-01T09:20:00Z'),
      });
      expect([cancelled.status, rebooked.status]).toEqual([200, 201]);

      const moved = await call('PATCH', `/Appointment/${rebooked.body.id}`, {
        key: clerk,
        contentType: 'application/merge-patch+json',
        body: { end: '2031-03-01T09:40:00Z' },
      });
      expect([moved.status, moved.body.code]).toEqual([409, 'DOUBLE_BOOKING']);

      const one = await call('GET', `/Appointment/${adjacent.body.id}`, { key: reader });
      expect([one.status, one.headers.get('etag'), one.body.start]).toEqual([200, 'W/"1"', '2031-03-01T09:30:00Z']);

      const inRange = await call(
        'GET',
        `/Appointment?practitioner=${practitionerId}&from=2031-03-01T09:35:00Z&to=2031-03-01T12:00:00Z`,
        { key: reader },
      );
      expect((inRange.body.entry as { resource: { id: string } }[]).map((entry) => entry.resource.id)).toEqual([
        adjacent.body.id,
      ]);
    });

    it('refuses an appointment with a participant that does not exist or was deleted (422 UNKNOWN_REFERENCE)', async () => {
      const ghost = '00000000-0000-4000-8000-00000000beef';
      const answer = await call('POST', '/Appointment', {
        key: clerk,
        body: appointment(ghost, practitionerId, '2031-04-01T09:00:00Z', '2031-04-01T09:30:00Z'),
      });
      expect([answer.status, answer.body.code]).toEqual([422, 'UNKNOWN_REFERENCE']);
    });

    it('lets exactly one of 50 concurrent bookings of one slot win; the other 49 get 409 DOUBLE_BOOKING', async () => {
      const doctor = String(
        (await call('POST', '/Practitioner', { key: clerk, body: practitioner('Contended') })).body.id,
      );

      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          call('POST', '/Appointment', {
            key: clerk,
            // Every one overlaps every other: all cover 10:00-10:05.
            body: appointment(
              patientId,
              doctor,
              `2031-05-01T09:${String(10 + index).padStart(2, '0')}:00Z`,
              '2031-05-01T10:05:00Z',
            ),
          }),
        ),
      );

      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([201, ...Array(49).fill(409)]);
      expect(
        answers.filter((answer) => answer.status === 409).every((answer) => answer.body.code === 'DOUBLE_BOOKING'),
      ).toBe(true);
      const rows = await database.owner(
        async (client) =>
          (await client.query('SELECT count(*) AS n FROM appointment WHERE practitioner_id = $1', [doctor])).rows[0].n,
      );
      expect(Number(rows)).toBe(1);
    });
  });

  describe('bad input', () => {
    let practitionerId: string;
    let patientId: string;

    beforeAll(async () => {
      patientId = String((await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) })).body.id);
      practitionerId = String(
        (await call('POST', '/Practitioner', { key: clerk, body: practitioner('Edgecase') })).body.id,
      );
    });

    const megabyte = 'x'.repeat(1024 * 1024);
    const cases: [string, string, string, CallOptions, string][] = [
      ['malformed JSON', 'POST', '/Patient', { raw: '{"name": [' }, 'INVALID_JSON'],
      ['an empty body', 'POST', '/Patient', { raw: '' }, 'EMPTY_BODY'],
      ['a JSON array', 'POST', '/Patient', { body: [] }, 'INVALID_RESOURCE'],
      ['text/plain', 'POST', '/Patient', { raw: 'name=x', contentType: 'text/plain' }, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a number for a name', 'POST', '/Patient', { body: { name: 42 } }, 'INVALID_RESOURCE'],
      ['a string for given names', 'POST', '/Patient', { body: { name: [{ given: 'Ann' }] } }, 'INVALID_RESOURCE'],
      [
        'an unknown field',
        'POST',
        '/Patient',
        { body: { name: [{ family: 'A' }], ssn: '078-05-1120' } },
        'INVALID_RESOURCE',
      ],
      [
        'an unknown nested field',
        'POST',
        '/Patient',
        { body: { name: [{ family: 'A', nick: 'x' }] } },
        'INVALID_RESOURCE',
      ],
      [
        'a wrong resourceType',
        'POST',
        '/Patient',
        { body: { resourceType: 'Practitioner', name: [{ family: 'A' }] } },
        'INVALID_RESOURCE',
      ],
      [
        'a birth date in the future',
        'POST',
        '/Patient',
        { body: { name: [{ family: 'A' }], birthDate: '2999-01-01' } },
        'INVALID_RESOURCE',
      ],
      [
        'a birth date before 1900',
        'POST',
        '/Patient',
        { body: { name: [{ family: 'A' }], birthDate: '1850-01-01' } },
        'INVALID_RESOURCE',
      ],
      [
        '30 February',
        'POST',
        '/Patient',
        { body: { name: [{ family: 'A' }], birthDate: '2001-02-30' } },
        'INVALID_RESOURCE',
      ],
      ['a 1 MB name', 'POST', '/Patient', { body: { name: [{ family: megabyte }] } }, 'BODY_TOO_LARGE'],
      [
        'a 60 kB name',
        'POST',
        '/Patient',
        { body: { name: [{ family: megabyte.slice(0, 60_000) }] } },
        'INVALID_RESOURCE',
      ],
      ['a NUL in a name', 'POST', '/Patient', { body: { name: [{ family: 'A\u0000B' }] } }, 'INVALID_RESOURCE'],
      [
        'a lone surrogate in a name',
        'POST',
        '/Patient',
        { raw: '{"name":[{"family":"A\\ud800"}]}' },
        'INVALID_RESOURCE',
      ],
      [
        '__proto__ in the body',
        'POST',
        '/Patient',
        { raw: '{"__proto__":{"admin":true},"name":[{"family":"A"}]}' },
        'INVALID_JSON',
      ],
      [
        'an appointment ending before it starts',
        'POST',
        '/Appointment',
        { body: 'APPOINTMENT_BACKWARDS' },
        'INVALID_RESOURCE',
      ],
      ['an appointment in the year 10000', 'POST', '/Appointment', { body: 'APPOINTMENT_FAR' }, 'INVALID_RESOURCE'],
      [
        'an appointment of two patients',
        'POST',
        '/Appointment',
        { body: 'APPOINTMENT_TWO_PATIENTS' },
        'INVALID_RESOURCE',
      ],
      ['a date filter out of range', 'GET', '/Appointment?from=0001-01-01T00:00:00Z', {}, 'INVALID_QUERY'],
      ['a date filter that is not a date', 'GET', '/Appointment?to=yesterday', {}, 'INVALID_QUERY'],
      ['an unknown filter', 'GET', '/Patient?ssn=1', {}, 'INVALID_QUERY'],
      ['a repeated filter', 'GET', '/Patient?name=a&name=b', {}, 'INVALID_QUERY'],
      [
        'SQL in the practitioner filter',
        'GET',
        `/Appointment?practitioner=${encodeURIComponent("' OR 1=1 --")}`,
        {},
        'INVALID_QUERY',
      ],
      [
        'SQL in the patient filter',
        'GET',
        `/Appointment?patient=${encodeURIComponent("x'; DROP TABLE patient; --")}`,
        {},
        'INVALID_QUERY',
      ],
      [
        'SQL in the status filter',
        'GET',
        `/Appointment?status=${encodeURIComponent("booked' OR 'a'='a")}`,
        {},
        'INVALID_QUERY',
      ],
      ['SQL in the gender filter', 'GET', `/Patient?gender=${encodeURIComponent("x' OR '1'='1")}`, {}, 'INVALID_QUERY'],
      [
        'SQL in the birthdate filter',
        'GET',
        `/Patient?birthdate=${encodeURIComponent("2000-01-01' OR '1'='1")}`,
        {},
        'INVALID_QUERY',
      ],
      [
        'SQL in the cursor',
        'GET',
        `/Patient?_cursor=${encodeURIComponent('1; DELETE FROM patient')}`,
        {},
        'INVALID_CURSOR',
      ],
      ['SQL in the audit filter', 'GET', `/audit?actor=${encodeURIComponent("' OR 1=1")}`, {}, 'INVALID_QUERY'],
      [
        'a stale-looking If-Match that is not an ETag',
        'PATCH',
        '/Patient/PATIENT',
        { headers: { 'if-match': "1' OR 1=1" }, body: {} },
        'INVALID_HEADER',
      ],
      [
        'a merge patch that is not an object',
        'PATCH',
        '/Patient/PATIENT',
        { body: [1], contentType: 'application/merge-patch+json' },
        'INVALID_RESOURCE',
      ],
    ];

    const bodyFor = (body: unknown): unknown => {
      const base = (start: string, end: string) => appointment(patientId, practitionerId, start, end);
      if (body === 'APPOINTMENT_BACKWARDS') return base('2031-06-01T10:00:00Z', '2031-06-01T09:00:00Z');
      if (body === 'APPOINTMENT_FAR') return base('+010000-01-01T10:00:00Z', '+010000-01-01T11:00:00Z');
      if (body === 'APPOINTMENT_TWO_PATIENTS') {
        const value = base('2031-06-01T10:00:00Z', '2031-06-01T11:00:00Z');
        return { ...value, participant: [value.participant[0], value.participant[0]] };
      }
      return body;
    };

    it.each(cases)(
      'refuses %s with 4xx and a stable code, writing nothing',
      async (_name, method, path, options, code) => {
        const before = await Promise.all(['patient', 'practitioner', 'appointment', 'audit_event'].map(count));
        const key = path.startsWith('/audit') ? admin : clerk;
        const answer = await call(method, path.replace('PATIENT', patientId), {
          key,
          ...options,
          ...(options.body === undefined ? {} : { body: bodyFor(options.body) }),
        });
        const after = await Promise.all(['patient', 'practitioner', 'appointment', 'audit_event'].map(count));

        expect([answer.status >= 400 && answer.status < 500, answer.body.code]).toEqual([true, code]);
        expect(after).toEqual(before);
      },
    );

    it('treats SQL metacharacters in text filters as plain text: nothing matches, nothing breaks', async () => {
      const patientsBefore = await count('patient');
      for (const filter of ['name', 'identifier']) {
        for (const value of ["'; DROP TABLE patient; --", '%', '_', '\\', "' OR '1'='1", '$1', 'a) OR (1=1']) {
          const answer = await call('GET', `/Patient?${filter}=${encodeURIComponent(value)}`, { key: reader });
          expect([filter, value, answer.status, answer.body.entry]).toEqual([filter, value, 200, []]);
        }
      }
      const practitioners = await call('GET', `/Practitioner?name=${encodeURIComponent("%' OR 1=1 --")}`, {
        key: reader,
      });
      expect([practitioners.status, practitioners.body.entry]).toEqual([200, []]);
      expect(await count('patient')).toBe(patientsBefore);
    });

    it('stores and finds names in any script', async () => {
      const names = [
        { family: '王', given: ['小明'] },
        { family: 'Ñúñez', given: ['Zoë'] },
        { family: 'Ђорђевић' },
        { family: 'O’Brien 🩺' },
      ];
      const created = await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [], name: names }) });
      expect(created.status).toBe(201);
      for (const prefix of ['王', '小', 'ñú', 'ZOË', 'ђор', 'o']) {
        const found = await call('GET', `/Patient?name=${encodeURIComponent(prefix)}&_count=100`, { key: reader });
        expect([
          prefix,
          (found.body.entry as { resource: { id: string } }[]).some((entry) => entry.resource.id === created.body.id),
        ]).toEqual([prefix, true]);
      }
    });

    it('never answered 500 to anything in this suite', () => {
      const statuses = server
        .logLines()
        .filter((line) => line.msg === 'request')
        .map((line) => line.status as number);
      expect(statuses.length).toBeGreaterThan(50);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
    });
  });

  describe('the audit trail', () => {
    it('cannot be changed by the service role, and not even by the owner', async () => {
      const pg = await import('pg');
      const asService = new pg.default.Client({ connectionString: database.serviceUrl });
      await asService.connect();
      try {
        await expect(asService.query('UPDATE audit_event SET actor_key_id = actor_key_id')).rejects.toMatchObject({
          code: '42501',
        });
        await expect(asService.query('DELETE FROM audit_event')).rejects.toMatchObject({ code: '42501' });
        await expect(asService.query('DELETE FROM patient')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await asService.end();
      }
      await expect(database.owner((client) => client.query('DELETE FROM audit_event'))).rejects.toMatchObject({
        code: '42501',
      });
      expect(await count('audit_event')).toBeGreaterThan(0);
    });
  });

  describe('privacy', () => {
    it('writes no name, birth date or identifier it was sent into any log line (all levels, debug included)', async () => {
      const text = server.logText();
      expect(text.length).toBeGreaterThan(10_000);
      for (const secret of [
        FAMILY,
        GIVEN,
        BIRTH_DATE,
        MRN,
        'NHS-777',
        'Okonkwo',
        '+44 20 7946',
        '王',
        'Ñúñez',
        'Ђорђевић',
        'okon',
        '078-05-1120',
      ]) {
        expect([secret, text.includes(secret)]).toEqual([secret, false]);
      }
      const metrics = await server.metrics.metrics();
      for (const secret of [FAMILY, BIRTH_DATE, MRN]) expect(metrics.includes(secret)).toBe(false);
    });
  });
});

describe('healthcare-api with an exhausted connection pool', () => {
  let database: ClinicTestDatabase;
  let server: HealthcareTestServer;

  beforeAll(async () => {
    database = await createClinicTestDatabase();
    server = await startHealthcareTestServer(database, { poolMax: 2, poolWaitMs: 300, logLevel: 'info' });
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('refuses requests beyond the pool with 503 DATABASE_BUSY and Retry-After, never hangs, and recovers', async () => {
    const call = caller(server.baseUrl);
    const clerk = await server.keyFor('clerk');
    const created = await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) });
    const id = String(created.body.id);

    // Another session holds the patient's row lock, so each update holds its pooled connection while it waits.
    const pg = await import('pg');
    const blocker = new pg.default.Client({ connectionString: database.throwaway.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM patient WHERE id = $1 FOR UPDATE', [id]);
    const started = performance.now();
    const pending = Array.from({ length: 20 }, () =>
      call('PATCH', `/Patient/${id}`, {
        key: clerk,
        contentType: 'application/merge-patch+json',
        body: { gender: 'other' },
      }),
    );
    // Give the shed requests time to be refused while the lock is held.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const waitingMetric = await server.metrics.metrics();
    await blocker.query('COMMIT');
    await blocker.end();
    const answers = await Promise.all(pending);
    const elapsedMs = performance.now() - started;

    const busy = answers.filter((answer) => answer.status === 503);
    const done = answers.filter((answer) => answer.status === 200);
    expect(busy.length).toBeGreaterThanOrEqual(16);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(busy.length + done.length).toBe(20);
    expect(
      busy.every((answer) => answer.body.code === 'DATABASE_BUSY' && answer.headers.get('retry-after') === '1'),
    ).toBe(true);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(waitingMetric).toMatch(/healthcare_db_pool_connections\{state="total"\} 2/);
    expect(waitingMetric).toMatch(/healthcare_db_pool_rejections_total \d+/);

    const after = await Promise.all(Array.from({ length: 5 }, () => call('GET', `/Patient/${id}`, { key: clerk })));
    expect(after.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await call('GET', '/readyz')).status).toBe(200);
  });

  it('answers 503 DATABASE_TIMEOUT when a statement outlives its limit', async () => {
    const quick = await startHealthcareTestServer(database, { statementTimeoutMs: 300, logLevel: 'silent' });
    const call = caller(quick.baseUrl);
    const clerk = await quick.keyFor('clerk');
    try {
      const created = await call('POST', '/Patient', { key: clerk, body: patient({ identifier: [] }) });
      const pg = await import('pg');
      const blocker = new pg.default.Client({ connectionString: database.throwaway.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM patient WHERE id = $1 FOR UPDATE', [created.body.id]);
        const answer = await call('DELETE', `/Patient/${created.body.id}`, { key: clerk });
        expect([answer.status, answer.body.code, answer.headers.get('retry-after')]).toEqual([
          503,
          'DATABASE_TIMEOUT',
          '1',
        ]);
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
      expect((await call('GET', `/Patient/${created.body.id}`, { key: clerk })).status).toBe(200);
    } finally {
      await quick.close();
    }
  });

  it('answers 503 DATABASE_UNAVAILABLE and reports not ready when PostgreSQL cannot be reached', async () => {
    const url = new URL(database.serviceUrl);
    url.port = '1';
    const orphan = await startHealthcareTestServer(database, { url: url.toString(), logLevel: 'silent' });
    try {
      const call = caller(orphan.baseUrl);
      const answer = await call('GET', '/Patient', { key: `hck_0123456789abcdef_${'A'.repeat(43)}` });
      const ready = await call('GET', '/readyz');
      expect([answer.status, answer.body.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
      expect([ready.status, ready.body.ready]).toEqual([503, false]);
    } finally {
      await orphan.close();
    }
  });

  it('reports not ready once shutting down', async () => {
    server.readiness.markShuttingDown();
    const answer = await caller(server.baseUrl)('GET', '/readyz');
    expect([answer.status, answer.body.shuttingDown]).toEqual([503, true]);
  });
});
