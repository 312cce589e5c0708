import type { Client, InStatement, Transaction, TransactionMode } from '@libsql/client';

/** A FIFO async mutex. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.#tail.then(() => {
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    });
    this.#tail = this.#tail.then(() => held);
    return ready;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const readOnly = /^\s*(select|pragma\s+\w+\s*$)/i;

function sqlOf(stmt: InStatement): string {
  return typeof stmt === 'string' ? stmt : stmt.sql;
}

/**
 * Lets only one write at a time leave this process for a local libSQL file.
 *
 * The local driver is synchronous: a write that finds the database locked waits inside a blocking call
 * (busy_timeout), which also stops the event loop, so if the lock is held by an open transaction of
 * this very process, that transaction can never commit and the waiter fails with SQLITE_BUSY. Queueing
 * writes in-process removes that self-deadlock; other processes (web and worker) still meet at SQLite's
 * lock, where busy_timeout works because the holder is not blocked. Plain reads skip the queue: in WAL
 * mode they never wait for writers.
 */
export function serializeWrites(client: Client): Client {
  const mutex = new Mutex();

  const wrapTransaction = (tx: Transaction, release: () => void): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'commit' || prop === 'rollback') {
          return async () => {
            try {
              await target[prop]();
            } finally {
              release();
            }
          };
        }
        if (prop === 'close') {
          return () => {
            try {
              target.close();
            } finally {
              release();
            }
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  return new Proxy(client, {
    get(target, prop, receiver) {
      switch (prop) {
        case 'execute':
          return (stmt: InStatement, args?: never) => {
            const run = () =>
              args === undefined ? target.execute(stmt) : target.execute(stmt as string, args);
            return readOnly.test(sqlOf(stmt)) ? run() : mutex.run(run);
          };
        case 'batch':
          return (stmts: InStatement[], mode?: TransactionMode) => mutex.run(() => target.batch(stmts, mode));
        case 'migrate':
          return (stmts: InStatement[]) => mutex.run(() => target.migrate(stmts));
        case 'executeMultiple':
          return (sql: string) => mutex.run(() => target.executeMultiple(sql));
        case 'transaction':
          return async (mode?: TransactionMode) => {
            if (mode === 'read') return target.transaction(mode);
            const release = await mutex.acquire();
            try {
              return wrapTransaction(await target.transaction(mode), release);
            } catch (error) {
              release();
              throw error;
            }
          };
        default: {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
}
