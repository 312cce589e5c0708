/**
 * Queue overhead (issue 3): 10,000 no-op jobs through our wrapper (defineJob + createEnqueue +
 * startJobWorker) against raw graphile-worker (WorkerUtils.addJobs + run() with a plain task), in one
 * process, on one throwaway Postgres, each round in its own fresh database. Both sides get the same
 * graphile options (concurrency, localQueue, completion batching) and both use job keys, so the
 * difference is the wrapper alone: payload parsing, key/definition lookup, the handler context.
 * Target: wrapper ≥ 80% of raw.
 */
import {
  createEnqueue,
  defineJob,
  type JobRequestOf,
  silentLogger,
  startJobWorker,
} from '@pocket-smyth/jobs';
import { createScratchDatabase, testPostgresUrl } from '@pocket-smyth/postgres/testing';
import { type AddJobsJobSpec, makeWorkerUtils, run } from 'graphile-worker';
import { z } from 'zod';

const jobCount = Number(process.env.QUEUE_BENCH_JOBS ?? 10_000);
const concurrency = 4;
const batchSize = 1_000;
const rounds = 2;

interface Round {
  enqueueMs: number;
  processMs: number;
}

function countdown(total: number) {
  let left = total;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  return {
    finished,
    tick() {
      left -= 1;
      if (left === 0) done();
    },
  };
}

async function rawRound(serverUrl: string, count: number): Promise<Round> {
  const database = await createScratchDatabase(serverUrl, 'bench_raw');
  const utils = await makeWorkerUtils({ connectionString: database.url });
  await utils.migrate();
  try {
    const t0 = performance.now();
    for (let start = 0; start < count; start += batchSize) {
      const specs: AddJobsJobSpec[] = [];
      for (let i = start; i < Math.min(count, start + batchSize); i++) {
        specs.push({ identifier: 'bench.noop', payload: { n: i }, jobKey: `bench:${i}`, maxAttempts: 3 });
      }
      await utils.addJobs(specs, false);
    }
    const enqueueMs = performance.now() - t0;

    const progress = countdown(count);
    const t1 = performance.now();
    const runner = await run({
      connectionString: database.url,
      concurrency,
      maxPoolSize: concurrency + 4,
      noHandleSignals: true,
      logger: silentLogger,
      taskList: {
        'bench.noop': async () => {
          progress.tick();
        },
      },
      preset: {
        worker: { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
      },
    });
    await progress.finished;
    await runner.stop();
    return { enqueueMs, processMs: performance.now() - t1 };
  } finally {
    await utils.release();
    await database.drop();
  }
}

async function wrapperRound(serverUrl: string, count: number): Promise<Round> {
  const database = await createScratchDatabase(serverUrl, 'bench_wrapped');
  let progress = countdown(count);
  const noop = defineJob({
    name: 'bench.noop',
    payload: z.object({ n: z.number().int().nonnegative() }),
    key: (payload) => `bench:${payload.n}`,
    maxAttempts: 3,
    handler: async () => {
      progress.tick();
    },
  });
  const enqueue = createEnqueue(database.url, { jobs: [noop] });
  await enqueue.workerUtils(); // migrate outside the timed part, as the raw round does
  try {
    const t0 = performance.now();
    for (let start = 0; start < count; start += batchSize) {
      const requests: JobRequestOf<typeof noop>[] = [];
      for (let i = start; i < Math.min(count, start + batchSize); i++) {
        requests.push({ name: 'bench.noop', payload: { n: i }, key: `bench:${i}` });
      }
      await enqueue(requests);
    }
    const enqueueMs = performance.now() - t0;

    progress = countdown(count);
    const t1 = performance.now();
    const runner = await startJobWorker({
      connectionString: database.url,
      jobs: [noop],
      deps: {},
      concurrency,
      logger: silentLogger,
    });
    await progress.finished;
    await runner.stop();
    return { enqueueMs, processMs: performance.now() - t1 };
  } finally {
    await enqueue.release();
    await database.drop();
  }
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1_000);
const best = (list: Round[], pick: (r: Round) => number) => Math.min(...list.map(pick));

async function main() {
  const serverUrl = await testPostgresUrl();
  // Warm up both paths (JIT, prepared statements, the server's caches) before measuring.
  await rawRound(serverUrl, 500);
  await wrapperRound(serverUrl, 500);

  const raw: Round[] = [];
  const wrapped: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    raw.push(await rawRound(serverUrl, jobCount));
    wrapped.push(await wrapperRound(serverUrl, jobCount));
  }

  const rawProcess = rate(
    jobCount,
    best(raw, (r) => r.processMs),
  );
  const wrappedProcess = rate(
    jobCount,
    best(wrapped, (r) => r.processMs),
  );
  const rawEnqueue = rate(
    jobCount,
    best(raw, (r) => r.enqueueMs),
  );
  const wrappedEnqueue = rate(
    jobCount,
    best(wrapped, (r) => r.enqueueMs),
  );
  const rawTotal = rate(
    jobCount,
    best(raw, (r) => r.enqueueMs + r.processMs),
  );
  const wrappedTotal = rate(
    jobCount,
    best(wrapped, (r) => r.enqueueMs + r.processMs),
  );
  const pct = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;

  console.log(`queue: ${jobCount} no-op jobs, concurrency ${concurrency}, best of ${rounds} rounds`);
  console.log(
    `  processing  raw ${rawProcess} jobs/s   wrapper ${wrappedProcess} jobs/s   ratio ${pct(wrappedProcess, rawProcess)}`,
  );
  console.log(
    `  enqueue     raw ${rawEnqueue} jobs/s   wrapper ${wrappedEnqueue} jobs/s   ratio ${pct(wrappedEnqueue, rawEnqueue)}`,
  );
  console.log(
    `  end to end  raw ${rawTotal} jobs/s   wrapper ${wrappedTotal} jobs/s   ratio ${pct(wrappedTotal, rawTotal)}`,
  );
  console.log(
    `  target: wrapper ≥ 80% of raw — ${wrappedTotal / rawTotal >= 0.8 && wrappedProcess / rawProcess >= 0.8 ? 'met' : 'NOT met'}`,
  );
}

await main();
// The throwaway Postgres is stopped by its supervisor when this process exits.
process.exit(0);
