import type { Pool } from 'undici';
import { expectStatus, requestJson, type SendResult, settle, type Workload } from './stress-workload.ts';

export const HEALTHCARE_KINDS = ['read', 'search', 'book'] as const;
export type HealthcareKind = (typeof HEALTHCARE_KINDS)[number];

const PATIENTS = 40;
const PRACTITIONERS = 10;
/** 15-minute slots over three days: bookings collide more as the run fills them. */
const SLOT_MS = 15 * 60_000;
const SLOTS = 3 * 96;
const FAMILIES = ['Okafor', 'Lindqvist', 'Tanaka', 'Moreau', 'Haddad', 'Jensen', 'Novak', 'Silva'];

interface Created {
  readonly id: string;
}

/**
 * healthcare-api's traffic with a clerk's key: reads of patients by id, name-prefix searches,
 * and bookings of random slots. A booking answered 409 (the slot is taken) is the service
 * doing its job and counts as answered; only other statuses are errors.
 */
export class HealthcareWorkload implements Workload<HealthcareKind> {
  readonly name = 'healthcare-api';
  readonly kinds = HEALTHCARE_KINDS;
  readonly defaultMix = 'read=6,search=3,book=1';
  private patients: string[] = [];
  private practitioners: string[] = [];
  private readonly headers: Record<string, string>;
  /** Slots start on the next whole day a week ahead, so runs never collide with real data. */
  private readonly firstSlot = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 7 * 86_400_000;

  constructor(
    private readonly pool: Pool,
    apiKey: string,
    private readonly timeoutMs: number,
    private readonly runTag: string = Math.random().toString(36).slice(2, 8),
  ) {
    this.headers = { authorization: `Bearer ${apiKey}` };
  }

  async prepare(): Promise<void> {
    const create = async (path: string, body: unknown): Promise<string> => {
      const answer = await requestJson(this.pool, {
        method: 'POST',
        path,
        body,
        headers: this.headers,
        timeoutMs: this.timeoutMs,
      });
      expectStatus(answer, [201], `POST ${path}`);
      return (answer.body as Created).id;
    };
    this.patients = await Promise.all(
      Array.from({ length: PATIENTS }, (_, n) =>
        create('/Patient', {
          resourceType: 'Patient',
          name: [{ family: `${FAMILIES[n % FAMILIES.length]}${n}`, given: ['Stress'] }],
          birthDate: '1980-01-01',
          identifier: [{ system: 'urn:memelab:stress', value: `${this.runTag}-${n}` }],
        }),
      ),
    );
    this.practitioners = await Promise.all(
      Array.from({ length: PRACTITIONERS }, (_, n) =>
        create('/Practitioner', { resourceType: 'Practitioner', name: [{ family: `Stress${this.runTag}${n}` }] }),
      ),
    );
  }

  send(kind: HealthcareKind, index: number): Promise<SendResult> {
    return settle(async () => {
      switch (kind) {
        case 'read':
          return this.get(`/Patient/${this.patients[index % this.patients.length]}`);
        case 'search':
          return this.get(
            `/Patient?name=${encodeURIComponent((FAMILIES[index % FAMILIES.length] ?? 'A').slice(0, 2))}&_count=10`,
          );
        case 'book':
          return this.book(index);
      }
    });
  }

  private async get(path: string): Promise<SendResult> {
    const answer = await requestJson(this.pool, {
      method: 'GET',
      path,
      headers: this.headers,
      timeoutMs: this.timeoutMs,
    });
    return { ok: answer.status === 200, status: String(answer.status) };
  }

  private async book(index: number): Promise<SendResult> {
    // A multiplicative hash spreads consecutive requests over the slots and practitioners.
    const slot = (index * 2_654_435_761) % SLOTS;
    const start = this.firstSlot + slot * SLOT_MS;
    const answer = await requestJson(this.pool, {
      method: 'POST',
      path: '/Appointment',
      headers: this.headers,
      timeoutMs: this.timeoutMs,
      body: {
        resourceType: 'Appointment',
        status: 'booked',
        start: new Date(start).toISOString(),
        end: new Date(start + SLOT_MS).toISOString(),
        participant: [
          { actor: { reference: `Patient/${this.patients[index % this.patients.length]}` } },
          { actor: { reference: `Practitioner/${this.practitioners[(index * 7) % this.practitioners.length]}` } },
        ],
      },
    });
    return { ok: answer.status === 201 || answer.status === 409, status: String(answer.status) };
  }
}
