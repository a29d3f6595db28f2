import { describe, expect, it } from 'vitest';
import { roleAllows } from './access/access-context.ts';
import { generateKey, parseKey, secretMatches } from './access/api-key.hash.ts';
import { appointmentSchema } from './appointments/appointment.service.ts';
import { patientSchema } from './patients/patient.service.ts';
import { decodeCursor, encodeCursor } from './shared/cursor.ts';
import { nameTokens } from './shared/fhir-shapes.ts';
import { applyMergePatch, changedFields } from './shared/merge-patch.ts';

const PATIENT = '3f1c2b7e-8a44-4d1e-9c55-0b6f7a1d2e30';
const PRACTITIONER = '9b0e4c11-2f6a-4a8b-b3d2-7c5e1f0a9d84';

const appointment = (
  start: string,
  end: string,
  participants = [`Patient/${PATIENT}`, `Practitioner/${PRACTITIONER}`],
) => ({
  status: 'booked',
  start,
  end,
  participant: participants.map((reference) => ({ actor: { reference } })),
});

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('patientSchema', () => {
  it('accepts a FHIR-shaped patient with unicode names', () => {
    const result = patientSchema.safeParse({
      resourceType: 'Patient',
      name: [{ family: '王', given: ['小明'] }, { text: 'Zoë Ñúñez' }],
      birthDate: '2000-02-29',
      gender: 'other',
      identifier: [{ system: 'urn:mrn', value: '1' }],
    });
    expect(result.success).toBe(true);
  });

  it.each([
    ['an unknown field', { name: [{ family: 'A' }], ssn: '1' }, ''],
    ['a name without any part', { name: [{ use: 'official' }] }, 'name'],
    ['a birth date that does not exist', { name: [{ family: 'A' }], birthDate: '2001-02-29' }, 'birthDate'],
    ['a birth date before 1900', { name: [{ family: 'A' }], birthDate: '1899-12-31' }, 'birthDate'],
    ['a birth date in the future', { name: [{ family: 'A' }], birthDate: '2999-01-01' }, 'birthDate'],
    ['a control character', { name: [{ family: 'A\u0007' }] }, 'name.0.family'],
    ['a lone surrogate', { name: [{ family: 'A\ud800' }] }, 'name.0.family'],
    ['a 201-character name', { name: [{ family: 'x'.repeat(201) }] }, 'name.0.family'],
    [
      'the same identifier twice',
      {
        name: [{ family: 'A' }],
        identifier: [
          { system: 's', value: 'v' },
          { system: 's', value: 'v' },
        ],
      },
      'identifier',
    ],
  ])('refuses %s', (_name, input, path) => {
    const result = patientSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain(path);
  });
});

describe('appointmentSchema', () => {
  it('accepts a booking with one patient and one practitioner in either order', () => {
    expect(appointmentSchema.safeParse(appointment('2031-01-01T09:00:00Z', '2031-01-01T09:30:00+00:00')).success).toBe(
      true,
    );
    expect(
      appointmentSchema.safeParse(
        appointment('2031-01-01T09:00:00Z', '2031-01-01T09:30:00Z', [
          `Practitioner/${PRACTITIONER}`,
          `Patient/${PATIENT}`,
        ]),
      ).success,
    ).toBe(true);
  });

  it.each([
    ['an end before the start', appointment('2031-01-01T10:00:00Z', '2031-01-01T09:00:00Z'), 'end'],
    ['an empty slot', appointment('2031-01-01T10:00:00Z', '2031-01-01T10:00:00Z'), 'end'],
    ['a slot longer than a day', appointment('2031-01-01T10:00:00Z', '2031-01-02T10:00:01Z'), 'end'],
    ['a start without an offset', appointment('2031-01-01T10:00:00', '2031-01-01T11:00:00Z'), 'start'],
    ['a start in 1999', appointment('1999-12-31T10:00:00Z', '1999-12-31T11:00:00Z'), 'start'],
    [
      'two patients',
      appointment('2031-01-01T10:00:00Z', '2031-01-01T11:00:00Z', [`Patient/${PATIENT}`, `Patient/${PATIENT}`]),
      'participant',
    ],
    [
      'a reference to another type',
      appointment('2031-01-01T10:00:00Z', '2031-01-01T11:00:00Z', [`Device/${PATIENT}`, `Patient/${PATIENT}`]),
      'participant.0.actor.reference',
    ],
  ])('refuses %s', (_name, input, path) => {
    const result = appointmentSchema.safeParse(input);
    expect(issuePaths(result)).toContain(path);
  });
});

describe('merge patches', () => {
  it('merges objects, removes keys set to null and replaces arrays whole', () => {
    const current = { name: [{ family: 'A' }], telecom: [{ system: 'phone', value: '1' }], active: true };
    const patched = applyMergePatch(current, { telecom: null, name: [{ family: 'B' }], gender: 'other' });
    expect(patched).toEqual({ name: [{ family: 'B' }], active: true, gender: 'other' });
    expect(current.telecom).toHaveLength(1);
  });

  it('names the top-level fields whose values changed, whatever the key order of nested objects', () => {
    const before = { name: [{ given: ['A'], family: 'B' }], gender: 'male', telecom: [] };
    const after = { name: [{ family: 'B', given: ['A'] }], gender: 'female', birthDate: '2000-01-01' };
    expect(changedFields(before, after)).toEqual(['birthDate', 'gender', 'telecom']);
  });
});

describe('cursors', () => {
  it('round-trip a sequence number and refuse anything else with INVALID_CURSOR', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42n);
    for (const forged of [
      '',
      'bm9wZQ',
      Buffer.from('s:-1').toString('base64url'),
      Buffer.from('s:99999999999999999999').toString('base64url'),
    ]) {
      expect(() => decodeCursor(forged)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', status: 400 }));
    }
  });
});

describe('name tokens', () => {
  it('folds case and splits names the same way for storing and searching', () => {
    expect(nameTokens([{ family: "O'Brien-Smith", given: ['ZOË', 'Ann'] }, { text: 'Ђорђе Ћосић' }])).toEqual([
      'o',
      'brien',
      'smith',
      'zoë',
      'ann',
      'ђорђе',
      'ћосић',
    ]);
  });
});

describe('API keys', () => {
  it('checks a key against its scrypt hash and refuses a changed secret', async () => {
    const key = await generateKey();
    const parsed = parseKey(key.key);
    expect(parsed?.id).toBe(key.id);
    expect(await secretMatches(parsed?.secret ?? '', key.salt, key.hash)).toBe(true);
    expect(await secretMatches(`${parsed?.secret.slice(0, -1)}x`, key.salt, key.hash)).toBe(false);
    expect(key.hash.toString('base64url')).not.toContain(parsed?.secret ?? '');
  });

  it('refuses malformed keys without hashing anything', () => {
    for (const key of [
      '',
      'hck_',
      'Bearer x',
      `hck_${'g'.repeat(16)}_${'a'.repeat(43)}`,
      `hck_${'a'.repeat(16)}_${'a'.repeat(42)}`,
    ]) {
      expect(parseKey(key)).toBeUndefined();
    }
  });

  it('orders roles reader < clerk < admin', () => {
    expect([roleAllows('reader', 'clerk'), roleAllows('clerk', 'clerk'), roleAllows('admin', 'clerk')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
