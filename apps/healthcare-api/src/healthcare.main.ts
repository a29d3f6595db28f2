import { isAppError } from '@memelab/core';
import { ConfigError } from '@memelab/platform';
import { Command, CommanderError } from 'commander';
import { registerKeysCommand } from './commands/keys.command.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { registerStartCommand } from './commands/start.command.ts';

/** Exit codes: 1 for a failure while working, 2 for a mistake in the command line or configuration. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

const program = new Command()
  .name('healthcare-api')
  .description('healthcare-api: clinical records (FHIR R4-shaped) over PostgreSQL.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerStartCommand(program);
registerMigrateCommand(program);
registerKeysCommand(program);

const reportError = (error: unknown): number => {
  if (error instanceof CommanderError) {
    if (error.exitCode !== 0 && error.code === 'commander.invalidArgument')
      process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`error ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (isAppError(error)) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    return error.status < 500 ? EXIT_USAGE : EXIT_FAILURE;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
};

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
