import { describe, expect, it } from 'vitest';
import { type BookingObservation, judgeBookings } from './healthcare-bookings-invariants.ts';

const clean: BookingObservation = {
  acknowledged: ['a', 'b', 'c'],
  found: ['c', 'a', 'b'],
  overlaps: 0,
  statuses: { '200': 50, '201': 3, '409': 4, '503': 7 },
  readyAtEnd: true,
};

const failing = (observation: BookingObservation) =>
  judgeBookings(observation)
    .filter((result) => !result.passed)
    .map((result) => result.name);

describe('judgeBookings', () => {
  it('passes a run with 503s during the outage and every booking kept', () => {
    expect(failing(clean)).toEqual([]);
  });

  it('fails on an overlap', () => {
    expect(failing({ ...clean, overlaps: 1 })).toEqual(['no double booking']);
  });

  it('fails when a booking answered 201 is not in the database, and names it', () => {
    const results = judgeBookings({ ...clean, found: ['a', 'b'] });
    const lost = results.find((result) => result.name === 'no lost acknowledged write');
    expect(lost?.passed).toBe(false);
    expect(lost?.detail).toContain('1 missing');
    expect(lost?.detail).toContain('c');
  });

  it('fails a run that acknowledged no booking: nothing was tested', () => {
    expect(failing({ ...clean, acknowledged: [], found: [] })).toEqual(['no lost acknowledged write']);
  });

  it('fails on a 500, a 502 or a refused connection, but not on 503', () => {
    expect(failing({ ...clean, statuses: { '503': 9, '500': 1 } })).toEqual([
      '503, not 500, while the database is away',
    ]);
    expect(failing({ ...clean, statuses: { '502': 1 } })).toEqual(['503, not 500, while the database is away']);
    expect(failing({ ...clean, statuses: { connection: 2 } })).toEqual(['503, not 500, while the database is away']);
  });

  it('fails when the API is not ready at the end', () => {
    expect(failing({ ...clean, readyAtEnd: false })).toEqual(['ready again after the restart']);
  });
});
