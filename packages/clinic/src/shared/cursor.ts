import { clinicErrors } from '../clinic.errors.ts';

/**
 * Search pages are ordered by each table's insertion sequence, which never changes, so a
 * cursor is the last sequence number seen: stable under concurrent inserts and updates.
 * It is opaque to clients (base64url) so the order can change without breaking them.
 */
export const encodeCursor = (seq: number | bigint): string => Buffer.from(`s:${seq}`).toString('base64url');

export const decodeCursor = (cursor: string): bigint => {
  const match = /^s:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match?.[1] === undefined) throw clinicErrors.invalidCursor();
  const seq = BigInt(match[1]);
  if (seq > 9_223_372_036_854_775_807n) throw clinicErrors.invalidCursor();
  return seq;
};
