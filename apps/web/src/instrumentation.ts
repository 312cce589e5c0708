/** Runs once when the server starts: applies committed migrations before any request is served. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { migrateDb } = await import('@pocket-smyth/db');
  const { dbHandle } = await import('./server/db');
  await migrateDb(dbHandle);
}
