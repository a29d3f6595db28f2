import { beginEmbeddedStart, isEmbeddedStart } from './commands/early-start.ts';

// `memelab start` opens its embedded database (and builds a stale web page) while the rest
// loads: everything else is imported below, after it has begun.
if (isEmbeddedStart(process.argv.slice(2))) beginEmbeddedStart(process.env);

/**
 * A server start (`start`, `api`, `worker`) registers only the server commands: the others
 * import what a server may not need (the render command loads Skia, which the API never
 * draws with), and a probe-watched `memelab api` should not wait for them.
 */
const serverStart = ['start', 'api', 'worker'].includes(process.argv[2] ?? '');

const [{ Command, CommanderError }, { registerStartCommands }, { isAppError }, { ConfigError }] = await Promise.all([
  import('commander'),
  import('./commands/start.command.ts'),
  import('@memelab/core'),
  import('@memelab/platform'),
]);

/** Exit codes: 1 for a failure while working, 2 for a mistake in the command line or input. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

// `memelab templates | head` closes the pipe early: the reader has what it wanted.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const program = new Command()
  .name('memelab')
  .description('memelab: Meme-as-a-Service.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerStartCommands(program);
if (!serverStart) {
  const [
    { registerMigrateCommand },
    { registerRenderCommand },
    { registerStressCommand },
    { registerTemplatesCommand },
  ] = await Promise.all([
    import('./commands/migrate.command.ts'),
    import('./commands/render.command.ts'),
    import('./commands/stress.command.ts'),
    import('./commands/templates.command.ts'),
  ]);
  registerMigrateCommand(program);
  registerRenderCommand(program);
  registerTemplatesCommand(program);
  registerStressCommand(program);
}
// The chaos suite starts private services and test servers that the images do not ship,
// so the server bundle (where MEMELAB_SERVER_BUNDLE is defined) leaves it out.
declare const MEMELAB_SERVER_BUNDLE: boolean | undefined;
if (typeof MEMELAB_SERVER_BUNDLE === 'undefined' && !serverStart) {
  const { registerChaosCommand } = await import('./chaos/chaos.command.ts');
  registerChaosCommand(program);
}

const reportError = (error: unknown): number => {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`error ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (isAppError(error)) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    for (const issue of error.issues) process.stderr.write(`  ${issue.path || '(input)'}: ${issue.message}\n`);
    return error.status < 500 ? EXIT_USAGE : EXIT_FAILURE;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    process.stderr.write(`error ${code}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
};

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
