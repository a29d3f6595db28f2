import { AsyncLocalStorage } from 'node:async_hooks';

interface OpenTransaction {
  active: boolean;
}

/**
 * Remembers, per async call chain, that a transaction of one database is open. Work inside
 * a transaction that reaches for the database itself instead of its `tx` would deadlock on
 * PGlite (one connection, already held) and silently run outside the transaction on a
 * pool, so both adapters refuse it with a clear error instead.
 */
export class TransactionScope {
  readonly #open = new AsyncLocalStorage<OpenTransaction>();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const transaction: OpenTransaction = { active: true };
    try {
      return await this.#open.run(transaction, work);
    } finally {
      // Promises started inside the transaction but still running after it keep the
      // context; they may use the database once the transaction is over.
      transaction.active = false;
    }
  }

  assertOutside(operation: string): void {
    if (this.#open.getStore()?.active === true) {
      throw new Error(
        `${operation} was called on the database inside one of its own transactions; use the transaction's executor instead`,
      );
    }
  }
}

/** Guards an executor handed to transaction work against use after the transaction ended. */
export class TransactionLifetime {
  #finished = false;

  finish(): void {
    this.#finished = true;
  }

  assertOpen(): void {
    if (this.#finished) {
      throw new Error('The transaction has already finished; its executor can no longer be used');
    }
  }
}
