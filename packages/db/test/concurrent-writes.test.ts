import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { DbOrTx } from '../src/client';
import { outbox } from '../src/schema';
import { createTestDb } from '../src/testing';

let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeEach(async () => {
  handle = await createTestDb();
});
afterEach(() => handle.cleanup());

const mail = (to: string) => ({ kind: 'test', to, subject: 's', text: 't', createdAt: new Date() });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two write transactions that overlap in time both commit', async () => {
  const { db } = handle;
  const results = await Promise.all(
    ['a', 'b', 'c', 'd'].map((to) =>
      db.transaction(async (tx) => {
        await tx.insert(outbox).values(mail(`${to}@example.com`));
        await pause(20); // keep the transaction open across an await
        const [row] = await tx.select({ n: sql<number>`count(*)` }).from(outbox);
        return Number(row?.n);
      }),
    ),
  );
  // Serialised: each transaction saw the rows of those before it, never a half-finished one.
  expect(results.sort()).toEqual([1, 2, 3, 4]);
});

test('a plain write issued while a transaction is open waits for it instead of failing', async () => {
  const { db } = handle;
  let plainDone = false;
  const txDone = db.transaction(async (tx) => {
    await tx.insert(outbox).values(mail('tx@example.com'));
    await pause(50);
    expect(plainDone).toBe(false);
  });
  await pause(5);
  await db.insert(outbox).values(mail('plain@example.com'));
  plainDone = true;
  await txDone;
  expect(await db.select().from(outbox)).toHaveLength(2);
});

test('a rolled-back transaction releases the write lock', async () => {
  const { db } = handle;
  await expect(
    db.transaction(async (tx) => {
      await tx.insert(outbox).values(mail('gone@example.com'));
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  await db.insert(outbox).values(mail('after@example.com'));
  expect(await db.select({ to: outbox.to }).from(outbox)).toEqual([{ to: 'after@example.com' }]);
});

test('reads inside a transaction callback through the outer handle do not deadlock', async () => {
  const { db } = handle;
  await db.insert(outbox).values(mail('seen@example.com'));
  const seen = await db.transaction(async (tx) => {
    await tx.update(outbox).set({ subject: 'changed' }).where(eq(outbox.to, 'seen@example.com'));
    return db.select({ subject: outbox.subject }).from(outbox);
  });
  // A read on another connection sees the last committed state, not the open transaction's.
  expect(seen).toEqual([{ subject: 's' }]);
});

test('every connection waits for locks, and writes commit in WAL with synchronous = NORMAL', async () => {
  const { db } = handle;
  const pragma = (on: DbOrTx, name: string) => on.get<Record<string, unknown>>(sql.raw(`PRAGMA ${name}`));
  await db.transaction(async (tx) => {
    // The writer's connection.
    expect(await pragma(tx, 'synchronous')).toEqual({ synchronous: 1 });
    expect(await pragma(tx, 'busy_timeout')).toEqual({ timeout: 5000 });
    // Reads at once, beside an open transaction, each on a connection of its own.
    const reads = await Promise.all([1, 2, 3].map(() => pragma(db, 'busy_timeout')));
    expect(reads).toEqual([{ timeout: 5000 }, { timeout: 5000 }, { timeout: 5000 }]);
  });
  expect(await pragma(db, 'journal_mode')).toEqual({ journal_mode: 'wal' });
});
