/**
 * The sum of one metric's samples in a Prometheus text exposition (every label set), or
 * undefined when the metric is absent. Enough for the gauges a stress run charts; the
 * full format is Prometheus's business.
 */
export const sumSamples = (exposition: string, metric: string): number | undefined => {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const next = line.charAt(metric.length);
    if (next !== '{' && next !== ' ') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
};
