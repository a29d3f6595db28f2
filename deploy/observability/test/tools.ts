import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a command line tool (promtool, amtool, ...) and returns its exit code and output. */
export const tool = async (command: string, args: readonly string[]): Promise<ToolResult> => {
  try {
    const { stdout, stderr } = await run(command, [...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT')
      throw new Error(`${command} is not installed (apt-get install prometheus prometheus-alertmanager)`);
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
};
