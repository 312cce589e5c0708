import { setTimeout as sleep } from 'node:timers/promises';
import { hostPollRounds, hostsPollSpec } from '../contract/cron-jobs';
import { defineJob, type JobContext } from '../define-job';
import type { JobDeps } from '../deps';

/** Cron starts this every minute; inside, it polls every 15 s (`hostPollRounds` rounds per job). */
export const hostPollIntervalMs = 15_000;

/** A missed round is simply the next round; retrying an old one would poll twice (maxAttempts 1). */
export const hostsPoll = defineJob(hostsPollSpec, async (payload, { deps, signal }: JobContext<JobDeps>) => {
  const rounds = payload.rounds ?? hostPollRounds;
  for (let round = 1; round <= rounds; round++) {
    const startedAt = Date.now();
    await deps.hosts.pollAll({ signal, timeoutMs: hostPollIntervalMs - 1_000 });
    if (round === rounds || signal.aborted) return;
    const wait = hostPollIntervalMs - (Date.now() - startedAt);
    // A shutdown ends the wait early; the remaining rounds belong to the next worker.
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
    if (signal.aborted) return;
  }
});
