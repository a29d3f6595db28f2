/**
 * A connection URL (PostgreSQL, AMQP, S3) with its password replaced, safe to log and to
 * put in error messages. A value that does not parse is not echoed at all: it may be a
 * URL with a typo that still carries the password.
 */
export const redactUrl = (value: string): string => {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable URL>';
  }
};
