import { openPgliteDatabase, type PgliteDatabase } from '@memelab/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyService } from './access/api-key.service.ts';
import { AppointmentService } from './appointments/appointment.service.ts';
import { migrateClinic } from './clinic.migrations.ts';
import { PatientService } from './patients/patient.service.ts';
import { PractitionerService } from './practitioners/practitioner.service.ts';

/** The embedded database (PGlite with btree_gist) enforces the same constraints as PostgreSQL. */
describe('the clinic on the embedded database', () => {
  let db: PgliteDatabase;
  const access = { keyId: '0123456789abcdef', role: 'clerk' as const, requestId: 'req-1' };

  beforeAll(async () => {
    db = await openPgliteDatabase(undefined, { extensions: ['btree_gist'] });
    await migrateClinic(db);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('refuses an overlapping booking of one practitioner with DOUBLE_BOOKING, but not of another', async () => {
    const patient = await new PatientService(db).create(access, { name: [{ family: 'Embedded' }] });
    const practitioners = new PractitionerService(db);
    const [first, second] = await Promise.all([
      practitioners.create(access, { name: [{ family: 'One' }] }),
      practitioners.create(access, { name: [{ family: 'Two' }] }),
    ]);
    const appointments = new AppointmentService(db);
    const book = (practitionerId: string | undefined, start: string, end: string) =>
      appointments.book(access, {
        status: 'booked',
        start,
        end,
        participant: [
          { actor: { reference: `Patient/${patient.id}` } },
          { actor: { reference: `Practitioner/${practitionerId}` } },
        ],
      });

    await book(first?.id, '2031-01-01T09:00:00Z', '2031-01-01T10:00:00Z');
    await expect(book(first?.id, '2031-01-01T09:59:00Z', '2031-01-01T10:30:00Z')).rejects.toMatchObject({
      code: 'DOUBLE_BOOKING',
      status: 409,
    });
    await expect(book(second?.id, '2031-01-01T09:30:00Z', '2031-01-01T10:30:00Z')).resolves.toMatchObject({
      resourceType: 'Appointment',
    });
    await expect(book(first?.id, '2031-01-01T10:00:00Z', '2031-01-01T10:30:00Z')).resolves.toMatchObject({
      status: 'booked',
    });
  });

  describe('a booking the database rolled back as a deadlock victim', () => {
    const deadlock = (): Error => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    /** The clinic's database, but the first `failures` appointment inserts fail as deadlock victims. */
    const withDeadlocks = (failures: number): { db: PgliteDatabase; attempts: () => number } => {
      let attempts = 0;
      const wrapped = new Proxy(db, {
        get(target, property, receiver) {
          if (property !== 'query') return Reflect.get(target, property, receiver);
          return async (sql: string, params?: unknown[]) => {
            if (/INSERT INTO appointment/.test(sql) && ++attempts <= failures) throw deadlock();
            return target.query(sql, params);
          };
        },
      });
      return { db: wrapped, attempts: () => attempts };
    };
    const slot = async (bookings: AppointmentService, start: string) => {
      const patient = await new PatientService(db).create(access, { name: [{ family: 'Victim' }] });
      const doctor = await new PractitionerService(db).create(access, { name: [{ family: 'Busy' }] });
      const book = () =>
        bookings.book(access, {
          status: 'booked',
          start,
          end: start.replace('T09', 'T10'),
          participant: [
            { actor: { reference: `Patient/${patient.id}` } },
            { actor: { reference: `Practitioner/${doctor.id}` } },
          ],
        });
      const count = async () =>
        Number(
          (
            await db.query<{ n: string }>('SELECT count(*) AS n FROM appointment WHERE practitioner_id = $1', [
              doctor.id,
            ])
          ).rows[0]?.n,
        );
      return { book, count };
    };

    it('is booked by running it again', async () => {
      const flaky = withDeadlocks(2);
      const { book, count } = await slot(new AppointmentService(flaky.db), '2032-02-01T09:00:00Z');
      await expect(book()).resolves.toMatchObject({ resourceType: 'Appointment', status: 'booked' });
      expect(flaky.attempts()).toBe(3);
      expect(await count()).toBe(1);
    });

    it('is refused with the database error after three tries, with nothing written', async () => {
      const flaky = withDeadlocks(Number.POSITIVE_INFINITY);
      const { book, count } = await slot(new AppointmentService(flaky.db), '2032-02-02T09:00:00Z');
      await expect(book()).rejects.toMatchObject({ code: '40P01' });
      expect(flaky.attempts()).toBe(3);
      expect(await count()).toBe(0);
    });
  });

  it('reads that arrive together share one statement, and each is audited with its own caller and request', async () => {
    const patients = new PatientService(db);
    const [kept, removed] = await Promise.all([
      patients.create(access, { name: [{ family: 'Batched' }] }),
      patients.create(access, { name: [{ family: 'Removed' }] }),
    ]);
    await patients.delete(access, String(removed.id), undefined);
    const missing = '00000000-0000-4000-8000-000000000000';
    const reader = (n: number) => ({ keyId: `reader-${n}`, role: 'reader' as const, requestId: `batched-${n}` });
    let statements = 0;
    const counted = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return (sql: string, params?: unknown[]) => {
          if (/FROM patient WHERE id = ANY/.test(sql)) statements++;
          return target.query(sql, params);
        };
      },
    });
    const batched = new PatientService(counted);
    const outcomes = await Promise.allSettled([
      batched.read(reader(1), String(kept.id)),
      batched.read(reader(2), String(kept.id).toUpperCase()),
      batched.read(reader(3), String(removed.id)),
      batched.read(reader(4), missing),
    ]);

    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { id: kept.id, name: [{ family: 'Batched' }] } });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { id: kept.id } });
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: { status: 410 } });
    expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    // The same record twice waits for the next statement; the others go together.
    expect(statements).toBe(2);
    const { rows } = await db.query<{ actor_key_id: string; request_id: string; resource_id: string }>(
      `SELECT actor_key_id, request_id, resource_id FROM audit_event WHERE request_id LIKE 'batched-%' ORDER BY request_id`,
    );
    expect(rows).toEqual([
      { actor_key_id: 'reader-1', request_id: 'batched-1', resource_id: kept.id },
      { actor_key_id: 'reader-2', request_id: 'batched-2', resource_id: kept.id },
    ]);
  });

  it('keeps the audit trail append-only even for the owner', async () => {
    await expect(db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE audit_event SET actor_key_id = 'x'")).rejects.toThrow(/append-only/);
  });

  it('remembers a checked key for its TTL, and forgets a revoked one after it', async () => {
    let now = 1_000_000;
    const keys = new ApiKeyService(db, { cacheTtlMs: 10_000, now: () => now });
    const created = await keys.create('reader');
    expect(await keys.authenticate(created.key)).toEqual({ keyId: created.id, role: 'reader' });
    expect(await keys.revoke(created.id)).toBe(true);
    now += 5_000;
    expect(await keys.authenticate(created.key)).toEqual({ keyId: created.id, role: 'reader' });
    now += 6_000;
    expect(await keys.authenticate(created.key)).toBeUndefined();
    expect(await keys.authenticate(`${created.key.slice(0, -1)}A`)).toBeUndefined();
  });

  describe('API key checks under load', () => {
    /** The database, counting the key lookups made through it. */
    const countingLookups = () => {
      let lookups = 0;
      const counted = new Proxy(db, {
        get(target, property) {
          if (property === 'query') {
            return (sql: string, params?: readonly unknown[]) => {
              if (sql.includes('FROM api_key')) lookups++;
              return target.query(sql, params);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return { db: counted, lookups: () => lookups };
    };

    it('checks a key once for all the requests that arrive with it together', async () => {
      const counting = countingLookups();
      const keys = new ApiKeyService(counting.db, { cacheTtlMs: 10_000 });
      const created = await keys.create('clerk');
      const answers = await Promise.all(Array.from({ length: 20 }, () => keys.authenticate(created.key)));
      expect(answers.every((answer) => answer?.keyId === created.id)).toBe(true);
      expect(counting.lookups()).toBe(1);
    });

    it('checks a key in use again before it expires, and forgets it then if it was revoked', async () => {
      let now = 1_000_000;
      const counting = countingLookups();
      const keys = new ApiKeyService(counting.db, { cacheTtlMs: 10_000, now: () => now });
      const kept = await keys.create('reader');
      const revoked = await keys.create('reader');
      await keys.authenticate(kept.key);
      await keys.authenticate(revoked.key);
      await keys.revoke(revoked.id);
      expect(counting.lookups()).toBe(2);

      now += 8_000; // the last quarter of the TTL: answered from memory, checked again meanwhile
      expect(await keys.authenticate(kept.key)).toMatchObject({ keyId: kept.id });
      expect(await keys.authenticate(revoked.key)).toMatchObject({ keyId: revoked.id });
      expect(counting.lookups()).toBe(4);
      now += 2_500; // past the first check's TTL: the checks made meanwhile answer
      expect(await keys.authenticate(kept.key)).toMatchObject({ keyId: kept.id });
      expect(await keys.authenticate(revoked.key)).toBeUndefined();

      const lookups = counting.lookups();
      now += 4_000; // within the TTL of the second check, and not yet near its end: no lookup
      expect(await keys.authenticate(kept.key)).toMatchObject({ keyId: kept.id });
      expect(counting.lookups()).toBe(lookups);
    });
  });
});
