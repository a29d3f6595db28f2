import type { InvariantResult } from './chaos-invariants.ts';

/** What a booking run under a database restart left behind. */
export interface BookingObservation {
  /** Ids of the appointments the client was answered 201 for. */
  readonly acknowledged: readonly string[];
  /** Of those, the ids found booked in the database afterwards. */
  readonly found: readonly string[];
  /** Pairs of live appointments of one practitioner whose times overlap. */
  readonly overlaps: number;
  /** Answers by status over the whole run (`timeout`, `connection` for no answer). */
  readonly statuses: Readonly<Record<string, number>>;
  /** The API answered /readyz 200 at the end. */
  readonly readyAtEnd: boolean;
}

/**
 * The bookings' invariants: no double booking, no acknowledged write lost, a database
 * outage answered 503 (retry later) and never 500 or silence, and ready again after.
 */
export const judgeBookings = (o: BookingObservation): InvariantResult[] => {
  const found = new Set(o.found);
  const missing = o.acknowledged.filter((id) => !found.has(id));
  const serverErrors = Object.entries(o.statuses).filter(
    ([status]) => (status.startsWith('5') && status !== '503') || status === 'connection',
  );
  const unavailable = o.statuses['503'] ?? 0;
  return [
    {
      name: 'no double booking',
      passed: o.overlaps === 0,
      detail: `${o.overlaps} overlapping pairs of booked appointments of one practitioner`,
    },
    {
      name: 'no lost acknowledged write',
      passed: o.acknowledged.length > 0 && missing.length === 0,
      detail: `${o.acknowledged.length} bookings answered 201, ${missing.length} missing from the database${
        missing.length > 0 ? ` (${missing.slice(0, 3).join(', ')})` : ''
      }`,
    },
    {
      name: '503, not 500, while the database is away',
      passed: serverErrors.length === 0,
      detail:
        serverErrors.length === 0
          ? `${unavailable} answered 503, no other 5xx, no refused connection`
          : `other failures: ${serverErrors.map(([status, count]) => `${status}×${count}`).join(', ')}`,
    },
    {
      name: 'ready again after the restart',
      passed: o.readyAtEnd,
      detail: o.readyAtEnd ? 'ready' : 'not ready at the end',
    },
  ];
};
