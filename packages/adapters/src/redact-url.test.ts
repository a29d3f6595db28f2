import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('amqp://worker:s3cret@rabbit:5672/memelab')).toBe('amqp://worker:***@rabbit:5672/memelab');
    expect(redactUrl('postgres://memelab:s3cret@db/memelab?sslmode=require')).toBe(
      'postgres://memelab:***@db/memelab?sslmode=require',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('amqp://rabbit:5672')).toBe('amqp://rabbit:5672');
  });

  it('does not echo a URL it cannot parse', () => {
    expect(redactUrl('not a url with password:s3cret')).toBe('<unparseable URL>');
  });
});
