/**
 * `--mix create=2,image=6,memegen=2`: the share of each kind of request. Request `index`
 * gets its kind from a fixed interleaving, so any stretch of a run has the same mix.
 */
export class MixSyntaxError extends Error {}

export const parseMix = <Kind extends string>(text: string, kinds: readonly Kind[]): Map<Kind, number> => {
  const weights = new Map<Kind, number>();
  for (const part of text.split(',').filter((piece) => piece.trim() !== '')) {
    const [name = '', weight = ''] = part.split('=').map((piece) => piece.trim());
    if (!(kinds as readonly string[]).includes(name)) {
      throw new MixSyntaxError(`"${name}" is not a request kind; choose from ${kinds.join(', ')}`);
    }
    const value = Number(weight);
    if (!Number.isInteger(value) || value < 0 || value > 1000) {
      throw new MixSyntaxError(`"${part.trim()}": a weight is a whole number from 0 to 1000`);
    }
    weights.set(name as Kind, value);
  }
  if ([...weights.values()].every((weight) => weight === 0)) {
    throw new MixSyntaxError('the mix has no request with a weight above 0');
  }
  return weights;
};

/** One cycle of kinds, spread out (smooth weighted round robin) rather than in blocks. */
export const mixCycle = <Kind extends string>(weights: ReadonlyMap<Kind, number>): Kind[] => {
  const entries = [...weights].filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const current = new Map(entries.map(([kind]) => [kind, 0]));
  const cycle: Kind[] = [];
  for (let step = 0; step < total; step++) {
    let best: Kind | undefined;
    for (const [kind, weight] of entries) {
      const value = (current.get(kind) ?? 0) + weight;
      current.set(kind, value);
      if (best === undefined || value > (current.get(best) ?? 0)) best = kind;
    }
    if (best === undefined) break;
    current.set(best, (current.get(best) ?? 0) - total);
    cycle.push(best);
  }
  return cycle;
};
