/** `pnpm --filter @pocket-smyth/worker dev|start`: the graphile-worker process. */
import { stopOnSignals } from './shutdown';
import { startWorkerProcess } from './start-worker';

try {
  const worker = await startWorkerProcess();
  await stopOnSignals(worker.runner);
  let failed = false;
  await worker.runner.promise.catch((error: unknown) => {
    failed = true;
    console.error('[worker] stopped on an error:', error);
  });
  await worker.close();
  console.info('[worker] stopped');
  process.exit(failed ? 1 : 0);
} catch (error) {
  console.error('[worker] could not start:', error);
  process.exit(1);
}
