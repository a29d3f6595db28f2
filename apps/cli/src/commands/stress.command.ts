import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../stress/duration.ts';

export interface StressCommandOptions {
  url: string;
  rate?: number;
  concurrency?: number;
  ramp: number;
  duration: number;
  count?: number;
  mix?: string;
  timeout: number;
  drain: number;
  maxInFlight: number;
  connections: number;
  out: string;
  failOn?: string;
  allowRemote?: boolean;
  healthcare?: boolean;
  apiKey?: string;
  progress: boolean;
}

const positive =
  (what: string) =>
  (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive ${what}`);
    return parsed;
  };

const duration = (value: string): number => {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError('expected a duration such as 30s, 2m or 500ms');
  }
};

export const registerStressCommand = (program: Command): void => {
  program
    .command('stress')
    .description(
      'Load a running memelab (or healthcare-api with --healthcare): fresh memes, cached images and memegen URLs, ' +
        'at a fixed concurrency or a target arrival rate. Prints a table and a JSON line, writes JSON and HTML reports.',
    )
    .option('--url <url>', 'the server to load', 'http://127.0.0.1:8080')
    .addOption(
      new Option('--rate <n>', 'requests per second (open model)').argParser(positive('rate')).conflicts('concurrency'),
    )
    .option(
      '-c, --concurrency <n>',
      'clients that each wait for their answer (closed model; default 16)',
      positive('number of clients'),
    )
    .option('--ramp <duration>', 'with --rate: climb from 0 to the rate over this long', duration, 0)
    .option('-d, --duration <duration>', 'how long to send load', duration, 30_000)
    .option(
      '-n, --count <n>',
      'stop after this many requests (whichever of count and duration comes first)',
      positive('count'),
    )
    .option('--mix <weights>', 'request mix, e.g. create=2,image=6,memegen=2')
    .option('--timeout <duration>', 'a request without an answer after this long counts as an error', duration, 10_000)
    .option('--drain <duration>', 'after the load, wait this long for accepted memes to be rendered', duration, 30_000)
    .option(
      '--max-in-flight <n>',
      'open model: skip (and count) arrivals beyond this many unanswered requests',
      positive('number'),
      2000,
    )
    .option('--connections <n>', 'HTTP connections to the server', positive('number'), 64)
    .option('--out <dir>', 'where to write the JSON and HTML reports', 'stress-results')
    .option('--fail-on <conditions>', 'exit 1 unless the run meets these, e.g. "p99<100ms,lost=0,errors<0.1%"')
    .option('--allow-remote', 'allow a target that is not this machine')
    .option(
      '--healthcare',
      'load healthcare-api instead: reads, searches and bookings (default mix read=6,search=3,book=1)',
    )
    .option('--api-key <key>', 'healthcare-api key with the clerk role (or HEALTHCARE_API_KEY)')
    .option('--no-progress', 'no live progress line')
    .action(async (options: StressCommandOptions) => {
      const { runStressCommand } = await import('../stress/stress.action.ts');
      process.exitCode = await runStressCommand(options);
    });
};
