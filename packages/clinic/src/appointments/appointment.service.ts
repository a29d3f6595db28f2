import type { Database, SqlExecutor } from '@memelab/adapters';
import type { Appointment } from 'fhir/r4';
import { z } from 'zod';
import type { AccessContext } from '../access/access-context.ts';
import { clinicErrors } from '../clinic.errors.ts';
import { envelope, instant, text } from '../shared/fhir-shapes.ts';
import { type PageRequest, ResourceService, type SearchResult, sqlError } from '../shared/resource.service.ts';
import { ResourceStore, type SearchFilter } from '../shared/resource.store.ts';

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'fulfilled', 'noshow'] as const;
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const reference = z.strictObject({
  reference: z.string().regex(/^(Patient|Practitioner)\/[0-9a-f-]{36}$/i, 'must be Patient/<id> or Practitioner/<id>'),
  display: text().optional(),
});

export const appointmentSchema = z
  .strictObject({
    ...envelope('Appointment'),
    status: z.enum(APPOINTMENT_STATUSES),
    description: text(500).optional(),
    start: instant,
    end: instant,
    participant: z
      .array(
        z.strictObject({
          actor: reference,
          status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']).default('accepted'),
        }),
      )
      .length(2, 'exactly two participants: one Patient and one Practitioner'),
  })
  .superRefine((value, ctx) => {
    const start = Date.parse(value.start);
    const end = Date.parse(value.end);
    if (end <= start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
    if (end - start > MAX_DURATION_MS)
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be within 24 hours of start' });
    const types = value.participant.map((participant) => participant.actor.reference.split('/')[0]).sort();
    if (types.join() !== 'Patient,Practitioner') {
      ctx.addIssue({ code: 'custom', path: ['participant'], message: 'needs one Patient and one Practitioner' });
    }
  });

export type AppointmentBody = Omit<z.output<typeof appointmentSchema>, 'resourceType' | 'id' | 'meta'>;

export interface AppointmentSearch extends PageRequest {
  readonly practitioner?: string | undefined;
  readonly patient?: string | undefined;
  readonly status?: string | undefined;
  /** Appointments that end after this instant... */
  readonly from?: string | undefined;
  /** ...and start before this one. */
  readonly to?: string | undefined;
}

const actorId = (body: AppointmentBody, type: 'Patient' | 'Practitioner'): string => {
  const found = body.participant.find((participant) => participant.actor.reference.startsWith(`${type}/`));
  return (found?.actor.reference.slice(type.length + 1) ?? '').toLowerCase();
};

const referencesExist = (patientId: string, practitionerId: string): SearchFilter => ({
  where: (param) =>
    `EXISTS (SELECT 1 FROM patient WHERE id = ${param(patientId)}::uuid AND deleted_at IS NULL)
     AND EXISTS (SELECT 1 FROM practitioner WHERE id = ${param(practitionerId)}::uuid AND deleted_at IS NULL)`,
});

/**
 * Appointments between a practitioner and a patient. The database refuses two live, not
 * cancelled appointments of one practitioner that overlap (an exclusion constraint), so no
 * interleaving of concurrent bookings can double-book: the loser gets DOUBLE_BOOKING.
 */
export class AppointmentService extends ResourceService<AppointmentBody, Appointment> {
  constructor(db: Database) {
    super(db, new ResourceStore('appointment', 'Appointment'), {
      schema: appointmentSchema,
      columns: (body) => [
        { name: 'practitioner_id', type: 'uuid', value: actorId(body, 'Practitioner') },
        { name: 'patient_id', type: 'uuid', value: actorId(body, 'Patient') },
        { name: 'start_at', type: 'timestamptz', value: body.start },
        { name: 'end_at', type: 'timestamptz', value: body.end },
        { name: 'status', type: 'text', value: body.status },
      ],
      beforeWrite: (tx, _id, body) => checkReferences(tx, body),
      translateError: (error) => {
        const { code, constraint } = sqlError(error);
        if (code === '23P01' && constraint === 'appointment_no_overlap') return clinicErrors.doubleBooking();
        if (code === '23503') return clinicErrors.unknownReference('A participant');
        return error;
      },
    });
  }

  /** Books (or records) an appointment; its participants must exist and not be deleted. */
  book(access: AccessContext, input: unknown): Promise<Appointment> {
    const body = this.parse(input);
    return this.create(access, input, referencesExist(actorId(body, 'Patient'), actorId(body, 'Practitioner')));
  }

  protected override missingReference(body: AppointmentBody): unknown {
    return clinicErrors.unknownReference(
      `Patient/${actorId(body, 'Patient')} or Practitioner/${actorId(body, 'Practitioner')}`,
    );
  }

  search(access: AccessContext, query: AppointmentSearch): Promise<SearchResult<Appointment>> {
    const filters: SearchFilter[] = [];
    const used: string[] = [];
    const add = (name: string, where: SearchFilter['where']): void => {
      filters.push({ where });
      used.push(name);
    };
    const { practitioner, patient, status, from, to } = query;
    if (practitioner !== undefined) add('practitioner', (param) => `practitioner_id = ${param(practitioner)}::uuid`);
    if (patient !== undefined) add('patient', (param) => `patient_id = ${param(patient)}::uuid`);
    if (status !== undefined) add('status', (param) => `status = ${param(status)}`);
    if (from !== undefined) add('from', (param) => `end_at > ${param(from)}::timestamptz`);
    if (to !== undefined) add('to', (param) => `start_at < ${param(to)}::timestamptz`);
    return this.searchWith(access, filters, used, query);
  }
}

async function checkReferences(tx: SqlExecutor, body: AppointmentBody): Promise<void> {
  const params: unknown[] = [];
  const condition = referencesExist(actorId(body, 'Patient'), actorId(body, 'Practitioner')).where((value) => {
    params.push(value);
    return `$${params.length}`;
  });
  const { rows } = await tx.query<{ ok: boolean }>(`SELECT ${condition} AS ok`, params);
  if (rows[0]?.ok !== true) {
    throw clinicErrors.unknownReference(
      `Patient/${actorId(body, 'Patient')} or Practitioner/${actorId(body, 'Practitioner')}`,
    );
  }
}
