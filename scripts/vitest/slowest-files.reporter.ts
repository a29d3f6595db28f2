import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const SHOWN = 10;

/**
 * Ends a run with its ten slowest test files (import plus tests), so a file that makes the
 * suite slow is seen the day it does.
 */
export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules
      .map((module) => {
        const diagnostic = module.diagnostic();
        const ms = diagnostic.setupDuration + diagnostic.collectDuration + diagnostic.duration;
        return { ms, file: relative(process.cwd(), module.moduleId) };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    if (timed.length === 0) return;
    const lines = timed.map(({ ms, file }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
    process.stdout.write(`\n Slowest test files (import + tests):\n${lines.join('\n')}\n\n`);
  }
}
