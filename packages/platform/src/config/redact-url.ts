/** A connection URL with its password replaced, safe to log. */
export const redactUrl = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
};
