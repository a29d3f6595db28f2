import { AppError } from '@memelab/core';
import { EXPERIMENTS, findExperiment } from './chaos-experiments.ts';
import { runChaosExperiment } from './chaos-runner.ts';

const SHORT_SCALE = 0.35;

export const runChaosCommand = async (
  names: readonly string[],
  options: { short: boolean; outDir: string },
): Promise<number> => {
  const experiments = names.includes('all')
    ? EXPERIMENTS
    : names.map((name) => {
        const experiment = findExperiment(name);
        if (experiment === undefined) {
          throw new AppError('UNKNOWN_EXPERIMENT', `"${name}" is not an experiment; run \`memelab chaos list\``, {
            status: 400,
          });
        }
        return experiment;
      });
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  let failures = 0;
  for (const experiment of experiments) {
    process.stderr.write(`\n${experiment.name}: ${experiment.title}\n`);
    const started = performance.now();
    let report: Awaited<ReturnType<typeof runChaosExperiment>>;
    try {
      report = await runChaosExperiment(experiment, {
        scale: options.short ? SHORT_SCALE : 1,
        outDir: options.outDir,
        log,
      });
    } catch (error) {
      // One experiment that cannot run fails alone; the others still run.
      process.stderr.write(`  FAIL  the experiment did not complete: ${(error as Error).stack ?? String(error)}\n`);
      process.stdout.write(
        `${JSON.stringify({ experiment: experiment.name, passed: false, error: (error as Error).message })}\n`,
      );
      failures++;
      continue;
    }
    for (const result of report.invariants) {
      process.stderr.write(`  ${result.passed ? 'pass' : 'FAIL'}  ${result.name}: ${result.detail}\n`);
    }
    const memes = report.load?.memes;
    process.stdout.write(
      `${JSON.stringify({
        experiment: report.experiment,
        passed: report.passed,
        seconds: Math.round((performance.now() - started) / 1000),
        faultSeconds: report.faultSeconds,
        recoveryMs: report.recoveryMs,
        accepted: memes?.accepted,
        done: memes?.done,
        lost: memes?.lost,
        maxAcceptToDoneMs: memes?.acceptToDoneMs.max,
        serverErrors: report.serverErrors,
        ...report.figures,
      })}\n`,
    );
    if (!report.passed) failures++;
  }
  process.stderr.write(`\n${experiments.length - failures} passed, ${failures} failed\n`);
  return failures === 0 ? 0 : 1;
};
