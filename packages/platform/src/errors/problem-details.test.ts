import { AppError } from '@memelab/core';
import { describe, expect, it } from 'vitest';
import { problemType, toProblemDetails } from './problem-details.ts';

describe('problem details', () => {
  it('keeps an operational error’s status, code, message and issues', () => {
    const error = new AppError('INVALID_MEME_SPEC', 'The meme spec is not valid.', {
      status: 422,
      issues: [{ path: 'captions.0', message: 'too long' }],
    });
    expect(toProblemDetails(error, { instance: '/api/memes', correlationId: 'abc' })).toEqual({
      type: 'urn:memelab:problem:invalid-meme-spec',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The meme spec is not valid.',
      code: 'INVALID_MEME_SPEC',
      instance: '/api/memes',
      correlationId: 'abc',
      issues: [{ path: 'captions.0', message: 'too long' }],
    });
  });

  it('hides the internals of an unexpected error behind a 500', () => {
    const problem = toProblemDetails(new TypeError('cannot read properties of undefined (reading "secret")'));
    expect(problem.status).toBe(500);
    expect(problem.code).toBe('INTERNAL_ERROR');
    expect(problem.detail).not.toMatch(/secret|undefined/);
  });

  it('treats a non-operational AppError as unexpected', () => {
    const problem = toProblemDetails(new AppError('BUG', 'invariant broken', { status: 400, operational: false }));
    expect(problem.status).toBe(500);
  });

  it('builds URN problem types from codes', () => {
    expect(problemType('TOO_MANY_CAPTIONS')).toBe('urn:memelab:problem:too-many-captions');
  });
});
