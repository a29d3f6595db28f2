export function assertValidPrefetch(prefetch: number): void {
  if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > 65_535) {
    throw new RangeError(`prefetch must be an integer from 1 to 65535, got ${prefetch}`);
  }
}
