import { AppError, type ValidationIssue } from '@memelab/core';

/** The clinic's problem codes; docs/errors.md lists each with its status. */
export const clinicErrors = {
  notFound: (type: string, id: string) =>
    new AppError('RESOURCE_NOT_FOUND', `There is no ${type} ${id}.`, { status: 404 }),
  deleted: (type: string, id: string) =>
    new AppError('RESOURCE_DELETED', `${type} ${id} was deleted.`, { status: 410 }),
  versionMismatch: (type: string, id: string, current: number) =>
    new AppError(
      'VERSION_MISMATCH',
      `${type} ${id} is at version ${current}, not the one in If-Match; read it again and reapply the change.`,
      { status: 412 },
    ),
  invalidResource: (issues: readonly ValidationIssue[]) =>
    new AppError('INVALID_RESOURCE', 'The resource is not valid.', { status: 422, issues }),
  idMismatch: (pathId: string) =>
    new AppError('ID_MISMATCH', `The resource's id does not match ${pathId} in the URL.`, { status: 400 }),
  identifierInUse: () =>
    new AppError('IDENTIFIER_IN_USE', 'Another patient already has one of these identifiers (system and value).', {
      status: 409,
    }),
  doubleBooking: () =>
    new AppError('DOUBLE_BOOKING', 'The practitioner already has an appointment that overlaps this time.', {
      status: 409,
    }),
  unknownReference: (reference: string) =>
    new AppError('UNKNOWN_REFERENCE', `${reference} does not exist or was deleted.`, { status: 422 }),
  invalidCursor: () =>
    new AppError('INVALID_CURSOR', 'The page cursor is not valid; start again from the first page.', { status: 400 }),
} as const;
