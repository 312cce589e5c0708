import { setTimeout as sleep } from 'node:timers/promises';
import { answers } from './connection';

/**
 * Polls until the server at `url` answers. `failure()` is checked between polls so that a server that
 * died on start (port taken, bad setting) fails at once with its own message instead of timing out.
 */
export async function waitUntilReady(
  url: string,
  options: { timeoutMs: number; failure?: () => string | null },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failed = options.failure?.();
    if (failed) throw new Error(failed);
    if (await answers(url, 1_000)) return;
    if (Date.now() > deadline)
      throw new Error(`Postgres did not answer at ${redact(url)} within ${options.timeoutMs} ms`);
    await sleep(100);
  }
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
