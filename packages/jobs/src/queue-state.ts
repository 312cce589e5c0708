import type { WithPgClient } from 'graphile-worker';

/**
 * The keys among `keys` that have a job in flight: waiting, in retry backoff, or running. A job that
 * failed for good (no attempts left, not locked) is not in flight — the reconciler may act again.
 * Reads graphile-worker 0.17's public `jobs` view rather than its private tables.
 */
export async function jobsInFlight(
  withPgClient: WithPgClient,
  keys: readonly string[],
  workerSchema = 'graphile_worker',
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  return withPgClient(async (client) => {
    const { rows } = await client.query<{ key: string }>(
      `select key from ${client.escapeIdentifier(workerSchema)}.jobs
        where key = any($1::text[]) and (locked_at is not null or attempts < max_attempts)`,
      [keys],
    );
    return new Set(rows.map((row) => row.key));
  });
}
