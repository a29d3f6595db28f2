import { describe, expect, it } from 'vitest';
import { evaluateGate, type GateFigures, GateSyntaxError, parseGate } from './stress-gate.ts';

const figures: GateFigures = {
  p50: 4,
  p90: 20,
  p99: 80,
  p999: 150,
  max: 300,
  rps: 950,
  errors: 3,
  errorRatio: 0.003,
  lost: 0,
  done_p99: 900,
};

describe('stress gate', () => {
  it('parses latencies in ms and s, counts and error percentages', () => {
    expect(parseGate('p99<100ms, done_p99<=2s,lost=0,errors<0.1%')).toEqual([
      { text: 'p99<100ms', metric: 'p99', operator: '<', value: 100, errorsAsRatio: false },
      { text: 'done_p99<=2s', metric: 'done_p99', operator: '<=', value: 2000, errorsAsRatio: false },
      { text: 'lost=0', metric: 'lost', operator: '=', value: 0, errorsAsRatio: false },
      { text: 'errors<0.1%', metric: 'errors', operator: '<', value: 0.001, errorsAsRatio: true },
    ]);
  });

  it('passes a run that meets every condition', () => {
    const verdicts = evaluateGate(parseGate('p99<100ms,lost=0,rps>=900,errors<5'), figures);
    expect(verdicts.every((verdict) => verdict.passed)).toBe(true);
  });

  it('fails each condition the run misses, with the actual figure', () => {
    const verdicts = evaluateGate(parseGate('p99<50ms,errors<0.1%,lost=0'), figures);
    expect(verdicts).toEqual([
      { condition: 'p99<50ms', actual: 80, passed: false },
      { condition: 'errors<0.1%', actual: 0.003, passed: false },
      { condition: 'lost=0', actual: 0, passed: true },
    ]);
  });

  it('fails a condition on a figure the run does not have', () => {
    const { done_p99: _, ...withoutMemes } = figures;
    expect(evaluateGate(parseGate('done_p99<1s'), withoutMemes)).toEqual([
      { condition: 'done_p99<1s', actual: null, passed: false },
    ]);
  });

  it.each([
    ['p99 under 100', 'not a condition'],
    ['p98<1ms', 'is not one of'],
    ['p99<5%', 'takes ms or s'],
    ['lost<2s', 'not a duration'],
    ['rps>10%', 'only errors takes %'],
  ])('rejects "%s"', (text, message) => {
    expect(() => parseGate(text)).toThrow(GateSyntaxError);
    expect(() => parseGate(text)).toThrow(message);
  });
});
