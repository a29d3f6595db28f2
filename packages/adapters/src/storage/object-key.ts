/**
 * Object keys are slash-separated paths such as `memes/ab/abcdef….jpg`. Both adapters accept
 * exactly the same keys, so objects can move between a local directory and a bucket (and a
 * key that works in embedded mode keeps working on S3). The rules are the ones the local
 * directory needs to stay inside its root and to keep its own bookkeeping files apart:
 * no `..` or absolute paths, no backslashes or NUL, no empty segments, no segment starting
 * with `.` (temporary files), no segment too long for a file name, and no key ending in the metadata sidecar suffix.
 */
export const METADATA_SUFFIX = '.meta.json';

const MAX_KEY_BYTES = 1024;
/** Leaves room under the usual 255-byte file name limit for the sidecar and temporary names. */
const MAX_SEGMENT_BYTES = 200;

export class InvalidObjectKeyError extends Error {
  readonly code = 'INVALID_OBJECT_KEY';
  readonly key: string;

  constructor(key: string, reason: string) {
    super(`Invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidObjectKeyError';
    this.key = key;
  }
}

/** Throws InvalidObjectKeyError when `key` breaks a rule; returns its segments otherwise. */
export const parseObjectKey = (key: string): readonly string[] => {
  const reason = keyProblem(key);
  if (reason !== undefined) throw new InvalidObjectKeyError(key, reason);
  return key.split('/');
};

const keyProblem = (key: string): string | undefined => {
  if (key.length === 0) return 'it is empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  if (key.startsWith('/')) return 'it is absolute';
  if (key.endsWith(METADATA_SUFFIX)) return `it ends with the reserved suffix ${METADATA_SUFFIX}`;
  return key
    .split('/')
    .map(segmentProblem)
    .find((problem) => problem !== undefined);
};

const segmentProblem = (segment: string): string | undefined => {
  if (segment.length === 0) return 'it has an empty path segment';
  if (segment === '..' || segment === '.') return `it has a "${segment}" path segment`;
  if (segment.startsWith('.')) return 'a path segment starts with "." (reserved for temporary files)';
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES)
    return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
};
