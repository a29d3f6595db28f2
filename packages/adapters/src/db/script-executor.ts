import type { SqlExecutor } from './database.port.ts';

/**
 * An executor that can also run a script of several statements (the simple query
 * protocol), which migrations need. Both adapters hand one to `transaction` work, but the
 * capability stays off the public port: repositories run one statement at a time.
 */
export interface ScriptExecutor extends SqlExecutor {
  execScript(sql: string): Promise<void>;
}

export function isScriptExecutor(executor: SqlExecutor): executor is ScriptExecutor {
  return 'execScript' in executor && typeof executor.execScript === 'function';
}

export function requireScriptExecutor(executor: SqlExecutor): ScriptExecutor {
  if (!isScriptExecutor(executor)) {
    throw new Error('This database cannot run multi-statement scripts in a transaction; open it with openDatabase');
  }
  return executor;
}
