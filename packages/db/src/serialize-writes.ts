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

/** SQLITE_BUSY or one of its extended codes, on the error or on one it wraps (drizzle wraps them). */
function isBusy(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    const { code, extendedCode } = e as { code?: unknown; extendedCode?: unknown };
    if ([code, extendedCode].some((c) => typeof c === 'string' && c.startsWith('SQLITE_BUSY'))) return true;
  }
  return false;
}

/** Write transactions and batches start with BEGIN IMMEDIATE ('write'); only 'read' stays as asked. */
function writeMode(mode: TransactionMode | undefined): TransactionMode {
  return mode === 'read' ? 'read' : 'write';
}

export interface SerializeWritesOptions {
  /** Serves plain reads and read transactions, outside the write queue. Default: the writer itself. */
  reader?: Client;
  /**
   * SQL run on the writer before its first write, and again after a write fails or the client reconnects
   * (its connection may then be a new one): per-connection settings such as `PRAGMA synchronous`.
   */
  setup?: string;
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
 *
 * Every write transaction and batch takes the write lock up front (BEGIN IMMEDIATE), however it was
 * asked for. A deferred one that reads first holds a read snapshot when it tries to write, and SQLite
 * answers SQLITE_BUSY at once there, without waiting out busy_timeout (waiting could deadlock two such
 * transactions). Within this process they queue anyway, so taking the lock early costs nothing.
 *
 * Give the writer a single connection (`concurrency: 1`): all writes take turns here, so one is enough,
 * and then the settings `setup` makes on it hold for every write. Reads go to `reader`.
 */
export function serializeWrites(writer: Client, options: SerializeWritesOptions = {}): Client {
  const { reader = writer, setup } = options;
  const mutex = new Mutex();
  let needsSetup = setup !== undefined;

  /** Applies `setup` when due. Only with the write lock held and no transaction open. */
  const prepare = async () => {
    if (needsSetup && setup !== undefined) {
      await writer.executeMultiple(setup);
      needsSetup = false;
    }
  };
  /**
   * After a failed write the writer's connection may be a new one (the pool drops one it cannot roll
   * back), so `setup` runs again. After SQLITE_BUSY the connection must go: libsql leaves the statement
   * that met the lock un-reset, and until garbage collection finalizes it the connection cannot commit.
   * Its next write would then hold the write lock for good, and every other process fail with
   * SQLITE_BUSY. Reconnecting now leaves the old connection only a read snapshot (which blocks nobody)
   * and gives the next write a fresh one.
   */
  const noteFailure = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      needsSetup = setup !== undefined;
      if (isBusy(error) && !writer.closed) await writer.reconnect();
      throw error;
    }
  };
  const write = <T>(fn: () => Promise<T>): Promise<T> => mutex.run(() => noteFailure(prepare().then(fn)));

  const wrapTransaction = (tx: Transaction, release: () => void): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === 'commit' || prop === 'rollback') {
          return async () => {
            try {
              await noteFailure(target[prop]());
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

  return new Proxy(writer, {
    get(target, prop, receiver) {
      switch (prop) {
        case 'execute':
          return (stmt: InStatement, args?: never) => {
            const run = (client: Client) => () =>
              args === undefined ? client.execute(stmt) : client.execute(stmt as string, args);
            return readOnly.test(sqlOf(stmt)) ? run(reader)() : write(run(target));
          };
        case 'batch':
          return (stmts: InStatement[], mode?: TransactionMode) =>
            mode === 'read' ? reader.batch(stmts, mode) : write(() => target.batch(stmts, writeMode(mode)));
        case 'migrate':
          return (stmts: InStatement[]) => write(() => target.migrate(stmts));
        case 'executeMultiple':
          return (sql: string) => write(() => target.executeMultiple(sql));
        case 'transaction':
          return async (mode?: TransactionMode) => {
            if (mode === 'read') return reader.transaction(mode);
            const release = await mutex.acquire();
            try {
              const tx = await noteFailure(prepare().then(() => target.transaction(writeMode(mode))));
              return wrapTransaction(tx, release);
            } catch (error) {
              release();
              throw error;
            }
          };
        case 'close':
          return () => {
            target.close();
            if (reader !== target) reader.close();
          };
        case 'reconnect':
          return async () => {
            needsSetup = setup !== undefined;
            await target.reconnect();
            if (reader !== target) await reader.reconnect();
          };
        default: {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
}
