import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@memelab/core';
import { SingleBar } from 'cli-progress';
import type { StressCommandOptions } from '../commands/stress.command.ts';
import { HealthcareWorkload } from './healthcare-workload.ts';
import type { LoadShape } from './load-runner.ts';
import { assertLoopbackTarget, RemoteTargetError } from './loopback-target.ts';
import { MixSyntaxError } from './request-mix.ts';
import { evaluateGate, type GateFigures, GateSyntaxError, parseGate } from './stress-gate.ts';
import { formatSummaryTable, renderHtmlReport } from './stress-report.ts';
import { runStress, type StressSummary } from './stress-run.ts';
import { TargetNotReadyError } from './stress-workload.ts';

const DEFAULT_CLIENTS = 16;

const usageError = (code: string, message: string): AppError => new AppError(code, message, { status: 400 });

export const gateFigures = (summary: StressSummary): GateFigures => ({
  p50: summary.latencyMs.p50,
  p90: summary.latencyMs.p90,
  p99: summary.latencyMs.p99,
  p999: summary.latencyMs.p999,
  max: summary.latencyMs.max,
  rps: summary.rps,
  errors: summary.requests - summary.ok,
  errorRatio: summary.errorRatio,
  lost: summary.memes?.lost ?? 0,
  ...(summary.memes !== undefined && summary.memes.accepted > 0 ? { done_p99: summary.memes.acceptToDoneMs.p99 } : {}),
});

/** A live line on a terminal; nothing when stderr is a pipe or a file. */
const progressBar = (options: StressCommandOptions) => {
  if (!options.progress || !process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{bar} {value}/{total} s | {requests} req, {rps} req/s | p50 {p50} ms p99 {p99} ms | done {done} | errors {errors}',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(Math.ceil(options.duration / 1000), 0, { requests: 0, rps: 0, p50: 0, p99: 0, done: 0, errors: 0 });
  return bar;
};

/** Runs `memelab stress` and returns the exit code: 0, or 1 when a --fail-on condition failed. */
export const runStressCommand = async (options: StressCommandOptions): Promise<number> => {
  let target: URL;
  try {
    target = new URL(options.url);
  } catch {
    throw usageError('INVALID_URL', `"${options.url}" is not a URL`);
  }
  const conditions = (() => {
    try {
      return options.failOn === undefined ? [] : parseGate(options.failOn);
    } catch (error) {
      if (error instanceof GateSyntaxError) throw usageError('INVALID_GATE', error.message);
      throw error;
    }
  })();
  if (options.allowRemote !== true) {
    try {
      await assertLoopbackTarget(target);
    } catch (error) {
      if (error instanceof RemoteTargetError) throw usageError('REMOTE_TARGET', error.message);
      throw error;
    }
  }
  const shape: LoadShape =
    options.rate === undefined
      ? { kind: 'concurrency', clients: Math.round(options.concurrency ?? DEFAULT_CLIENTS) }
      : { kind: 'rate', ratePerSecond: options.rate, rampMs: options.ramp };

  const apiKey = options.apiKey ?? process.env.HEALTHCARE_API_KEY;
  if (options.healthcare === true && (apiKey === undefined || apiKey === '')) {
    throw usageError(
      'MISSING_API_KEY',
      'healthcare-api needs a key with the clerk role: --api-key KEY or HEALTHCARE_API_KEY (healthcare-api keys create --role clerk)',
    );
  }

  const bar = progressBar(options);
  let summary: StressSummary;
  try {
    summary = await runStress(
      {
        target,
        shape,
        durationMs: options.duration,
        ...(options.count === undefined ? {} : { maxCount: Math.round(options.count) }),
        ...(options.mix === undefined ? {} : { mix: options.mix }),
        timeoutMs: options.timeout,
        drainMs: options.drain,
        maxInFlight: Math.round(options.maxInFlight),
        connections: Math.round(options.connections),
        ...(options.healthcare === true && apiKey !== undefined
          ? { workload: (pool, timeoutMs) => new HealthcareWorkload(pool, apiKey, timeoutMs) }
          : {}),
      },
      (sample, totals) =>
        bar?.update(sample.second, {
          requests: totals.requests,
          rps: sample.ok + sample.errors,
          p50: sample.p50.toFixed(1),
          p99: sample.p99.toFixed(1),
          done: sample.done,
          errors: totals.errors,
        }),
    );
  } catch (error) {
    if (error instanceof MixSyntaxError) throw usageError('INVALID_MIX', error.message);
    if (error instanceof TargetNotReadyError) throw new AppError('TARGET_NOT_READY', error.message, { status: 503 });
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      throw new AppError('TARGET_UNREACHABLE', `nothing answers at ${target.origin} (${code})`, { status: 503 });
    }
    throw error;
  } finally {
    bar?.stop();
  }

  const verdicts = evaluateGate(conditions, gateFigures(summary));
  await mkdir(options.out, { recursive: true });
  const base = join(options.out, `${summary.workload}-${summary.startedAt.replace(/[:.]/g, '-')}`);
  await writeFile(`${base}.json`, `${JSON.stringify({ ...summary, gate: verdicts }, null, 2)}\n`);
  await writeFile(`${base}.html`, await renderHtmlReport(summary, verdicts));
  process.stderr.write(`${formatSummaryTable(summary, verdicts)}\n\nreports: ${base}.json, ${base}.html\n`);
  const { timeline: _, ...line } = summary;
  process.stdout.write(`${JSON.stringify({ ...line, ...(verdicts.length > 0 ? { gate: verdicts } : {}) })}\n`);
  return verdicts.every((verdict) => verdict.passed) ? 0 : 1;
};
