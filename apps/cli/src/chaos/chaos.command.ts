import type { Command } from 'commander';

/**
 * `memelab chaos`: fault experiments against memelab with real dependencies started for
 * each run (a private PostgreSQL and RabbitMQ, an S3 server, api and worker processes).
 * Runs from a source checkout: the container images do not ship the test servers.
 */
export const registerChaosCommand = (program: Command): void => {
  const chaos = program.command('chaos').description('Fault experiments with real dependencies; see docs/chaos.md.');
  chaos
    .command('list')
    .description('List the experiments.')
    .action(async () => {
      const { EXPERIMENTS } = await import('./chaos-experiments.ts');
      for (const experiment of EXPERIMENTS) process.stdout.write(`${experiment.name.padEnd(20)} ${experiment.title}\n`);
    });
  chaos
    .command('run')
    .description('Run experiments (names, or "all") and check their invariants; exits 1 if any broke.')
    .argument('<names...>', 'experiment names, or all')
    .option('--short', 'the short form CI runs: faults and load scaled down')
    .option('--out <dir>', 'where the JSON and HTML reports go', 'chaos-results')
    .action(async (names: string[], options: { short?: boolean; out: string }) => {
      const { runChaosCommand } = await import('./chaos.action.ts');
      process.exitCode = await runChaosCommand(names, { short: options.short === true, outDir: options.out });
    });
};
