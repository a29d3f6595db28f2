/** `30s`, `2m`, `500ms`, `1h` or a plain number of seconds, as milliseconds. */
export const parseDuration = (text: string): number => {
  const match = /^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (match === null) throw new Error(`"${text}" is not a duration like 30s, 2m or 500ms`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * factor);
};
