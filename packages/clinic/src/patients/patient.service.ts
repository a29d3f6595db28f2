import type { Database } from '@memelab/adapters';
import type { Patient } from 'fhir/r4';
import { z } from 'zod';
import type { AccessContext } from '../access/access-context.ts';
import { clinicErrors } from '../clinic.errors.ts';
import {
  calendarDate,
  contactPoint,
  EARLIEST_BIRTH_DATE,
  envelope,
  identifier,
  names,
  nameTokens,
  normalizeSearchPrefix,
} from '../shared/fhir-shapes.ts';
import { type PageRequest, ResourceService, type SearchResult, sqlError } from '../shared/resource.service.ts';
import { ResourceStore, type SearchFilter } from '../shared/resource.store.ts';

export const patientSchema = z.strictObject({
  ...envelope('Patient'),
  active: z.boolean().optional(),
  name: names,
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: calendarDate
    .refine((value) => value >= EARLIEST_BIRTH_DATE, `must be on or after ${EARLIEST_BIRTH_DATE}`)
    .refine((value) => value <= new Date().toISOString().slice(0, 10), 'must not be in the future')
    .optional(),
  identifier: z
    .array(identifier)
    .max(10)
    .refine(
      (list) => new Set(list.map((item) => `${item.system}\u0000${item.value}`)).size === list.length,
      'each identifier (system and value) may appear once',
    )
    .optional(),
  telecom: z.array(contactPoint).max(10).optional(),
});

export type PatientBody = Omit<z.output<typeof patientSchema>, 'resourceType' | 'id' | 'meta'>;

export interface PatientSearch extends PageRequest {
  readonly name?: string | undefined;
  /** `system|value`, or a value in any system. */
  readonly identifier?: string | undefined;
  readonly birthdate?: string | undefined;
  readonly gender?: string | undefined;
}

const identifierRows = (body: PatientBody): string => JSON.stringify(body.identifier ?? []);

/** Patients: demographics and identifiers, each identifier (system + value) held by one live patient. */
export class PatientService extends ResourceService<PatientBody, Patient> {
  constructor(db: Database) {
    super(db, new ResourceStore('patient', 'Patient'), {
      schema: patientSchema,
      columns: (body) => [
        { name: 'name_tokens', type: 'text[]', value: nameTokens(body.name) },
        { name: 'birth_date', type: 'date', value: body.birthDate ?? null },
        { name: 'gender', type: 'text', value: body.gender ?? null },
      ],
      insertSteps: (body) => [
        {
          sql: (param) => `INSERT INTO patient_identifier (system, value, patient_id)
            SELECT item.system, item.value, created.id
            FROM created, jsonb_to_recordset(${param(identifierRows(body))}::jsonb) AS item(system text, value text)`,
        },
      ],
      beforeWrite: async (tx, id, body) => {
        await tx.query('DELETE FROM patient_identifier WHERE patient_id = $1', [id]);
        await tx.query(
          `INSERT INTO patient_identifier (system, value, patient_id)
           SELECT item.system, item.value, $2 FROM jsonb_to_recordset($1::jsonb) AS item(system text, value text)`,
          [identifierRows(body), id],
        );
      },
      afterDelete: async (tx, id) => {
        await tx.query('DELETE FROM patient_identifier WHERE patient_id = $1', [id]);
      },
      translateError: (error) => {
        const { code, constraint } = sqlError(error);
        return code === '23505' && constraint === 'patient_identifier_pkey' ? clinicErrors.identifierInUse() : error;
      },
    });
  }

  search(access: AccessContext, query: PatientSearch): Promise<SearchResult<Patient>> {
    const filters: SearchFilter[] = [];
    const used: string[] = [];
    if (query.name !== undefined) {
      const prefix = normalizeSearchPrefix(query.name);
      filters.push({
        where: (param) =>
          `EXISTS (SELECT 1 FROM unnest(name_tokens) AS token WHERE starts_with(token, ${param(prefix)}))`,
      });
      used.push('name');
    }
    if (query.identifier !== undefined) {
      const split = query.identifier.indexOf('|');
      const system = split < 0 ? undefined : query.identifier.slice(0, split);
      const value = split < 0 ? query.identifier : query.identifier.slice(split + 1);
      filters.push({
        where: (param) =>
          system === undefined
            ? `id IN (SELECT patient_id FROM patient_identifier WHERE value = ${param(value)})`
            : `id IN (SELECT patient_id FROM patient_identifier WHERE system = ${param(system)} AND value = ${param(value)})`,
      });
      used.push('identifier');
    }
    if (query.birthdate !== undefined) {
      const birthdate = query.birthdate;
      filters.push({ where: (param) => `birth_date = ${param(birthdate)}::date` });
      used.push('birthdate');
    }
    if (query.gender !== undefined) {
      const gender = query.gender;
      filters.push({ where: (param) => `gender = ${param(gender)}` });
      used.push('gender');
    }
    return this.searchWith(access, filters, used, query);
  }
}
