/**
 * `--fail-on "p99<100ms,lost=0,errors<0.1%"`: conditions a run must meet, checked against
 * its summary so that a stress run can gate CI.
 */
export type GateOperator = '<' | '<=' | '>' | '>=' | '=';

export interface GateCondition {
  readonly text: string;
  readonly metric: GateMetric;
  readonly operator: GateOperator;
  /** Milliseconds for latencies, a ratio (0..1) for `errors` given in %, a plain number otherwise. */
  readonly value: number;
  readonly errorsAsRatio: boolean;
}

/** The figures of a run that a gate may name. Latencies are milliseconds. */
export interface GateFigures {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly rps: number;
  readonly errors: number;
  readonly errorRatio: number;
  readonly lost: number;
  /** Accept → done (rendered), milliseconds; absent when no meme was accepted. */
  readonly done_p99?: number;
}

export const GATE_METRICS = ['p50', 'p90', 'p99', 'p999', 'max', 'rps', 'errors', 'lost', 'done_p99'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];
const LATENCY_METRICS: ReadonlySet<GateMetric> = new Set(['p50', 'p90', 'p99', 'p999', 'max', 'done_p99']);

export class GateSyntaxError extends Error {}

const CONDITION = /^\s*([a-z0-9_]+)\s*(<=|>=|<|>|=)\s*([0-9]*\.?[0-9]+)\s*(ms|s|%)?\s*$/;

export const parseGate = (text: string): GateCondition[] =>
  text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = CONDITION.exec(part);
      if (match === null) {
        throw new GateSyntaxError(`"${part.trim()}" is not a condition like p99<100ms, lost=0 or errors<0.1%`);
      }
      const [, name = '', operator = '=', number = '0', unit] = match;
      if (!(GATE_METRICS as readonly string[]).includes(name)) {
        throw new GateSyntaxError(`"${name}" is not one of ${GATE_METRICS.join(', ')}`);
      }
      const metric = name as GateMetric;
      const isLatency = LATENCY_METRICS.has(metric);
      if (isLatency && unit === '%') throw new GateSyntaxError(`"${part.trim()}": a latency takes ms or s`);
      if (!isLatency && (unit === 'ms' || unit === 's')) {
        throw new GateSyntaxError(`"${part.trim()}": ${metric} is not a duration`);
      }
      if (unit === '%' && metric !== 'errors') throw new GateSyntaxError(`"${part.trim()}": only errors takes %`);
      const raw = Number(number);
      const value = unit === 's' ? raw * 1000 : unit === '%' ? raw / 100 : raw;
      return { text: part.trim(), metric, operator: operator as GateOperator, value, errorsAsRatio: unit === '%' };
    });

const holds = (actual: number, operator: GateOperator, expected: number): boolean => {
  switch (operator) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '=':
      return actual === expected;
  }
};

export interface GateVerdict {
  readonly condition: string;
  readonly actual: number | null;
  readonly passed: boolean;
}

/** Each condition with the run's figure; a condition on a figure the run lacks fails. */
export const evaluateGate = (conditions: readonly GateCondition[], figures: GateFigures): GateVerdict[] =>
  conditions.map((condition) => {
    const actual = condition.errorsAsRatio ? figures.errorRatio : figures[condition.metric];
    if (actual === undefined) return { condition: condition.text, actual: null, passed: false };
    return { condition: condition.text, actual, passed: holds(actual, condition.operator, condition.value) };
  });
