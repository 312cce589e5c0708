/**
 * Readiness (`GET /api/health/ready`): each dependency checked at once, each bounded in time, each
 * reported with its result and how long it took, so a load balancer (or a person) sees which part is
 * missing. Kept apart from the wiring (readiness.ts) so it can be tested without the app.
 */
export interface CheckResult {
  ok: boolean;
  ms: number;
  /** What was found, in words or numbers (never a secret): e.g. pending migrations, heartbeat age. */
  detail?: string | number | null;
  error?: string;
}

export type Check = () => Promise<{ ok: boolean; detail?: string | number | null }>;

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

/** The error's first line, without what a connection string might carry (user:password@). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 200);
}

export async function runReadinessChecks(
  checks: Record<string, Check>,
  timeoutMs: number,
): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const outcome = await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [
          name,
          { ok: outcome.ok, ms: Math.round(performance.now() - started), detail: outcome.detail ?? null },
        ];
      } catch (error) {
        return [name, { ok: false, ms: Math.round(performance.now() - started), error: describe(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { status: entries.every(([, r]) => r.ok) ? 'ready' : 'not_ready', checks: results };
}

/** The last answer, reused for `ttlMs`: a readiness endpoint polled hard must not load the databases. */
export function cachedFor<T>(ttlMs: number, compute: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) last = { at: now, value: compute() };
    return last.value;
  };
}
