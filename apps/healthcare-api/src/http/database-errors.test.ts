import { DatabaseBusyError } from '@memelab/adapters';
import { AppError } from '@memelab/core';
import { describe, expect, it } from 'vitest';
import { translateDatabaseError } from './database-errors.ts';

const translate = translateDatabaseError(3, () => {});
const withCode = (code: string): Error => Object.assign(new Error('x'), { code });

describe('translateDatabaseError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['an admin shutdown (fast restart)', withCode('57P01')],
    ['a crash shutdown', withCode('57P02')],
    ['a server that cannot take connections yet', withCode('57P03')],
    ['a connection failure', withCode('08006')],
    ['a connection the server closed under a query', new Error('Connection terminated unexpectedly')],
    [
      'a pooled client that lost its connection',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
  ])('turns %s into 503 DATABASE_UNAVAILABLE with Retry-After', (_name, error) => {
    const translated = translate(error);
    expect(translated).toBeInstanceOf(AppError);
    expect(translated).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, cause: { retryAfterSeconds: 3 } });
  });

  it('turns an exhausted pool into 503 DATABASE_BUSY and counts it', () => {
    let busy = 0;
    const translated = translateDatabaseError(1, () => busy++)(new DatabaseBusyError(100));
    expect(translated).toMatchObject({ code: 'DATABASE_BUSY', status: 503 });
    expect(busy).toBe(1);
  });

  it('turns a deadlock or serialization failure left after retries into 503 DATABASE_CONTENTION', () => {
    expect(translate(withCode('40P01'))).toMatchObject({ code: 'DATABASE_CONTENTION', status: 503 });
    expect(translate(withCode('40001'))).toMatchObject({ code: 'DATABASE_CONTENTION', status: 503 });
  });

  it('turns a statement timeout into 503 DATABASE_TIMEOUT', () => {
    expect(translate(withCode('57014'))).toMatchObject({ code: 'DATABASE_TIMEOUT', status: 503 });
  });

  it('leaves other errors alone: a constraint violation or a bug stays what it is', () => {
    const unique = withCode('23505');
    const bug = new TypeError('undefined is not a function');
    expect(translate(unique)).toBe(unique);
    expect(translate(bug)).toBe(bug);
  });
});
