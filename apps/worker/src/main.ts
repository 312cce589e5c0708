/** `pnpm --filter @pocket-smyth/worker dev|start`: the graphile-worker process. */
import { InvalidEnvError, loadWorkerEnv, localHostEnv, type WorkerEnv } from './env';
import { agentsLeftRunningLine, runningLocalAgents } from './local-agents';
import { stopOnSignals } from './shutdown';
import { startWorkerProcess } from './start-worker';

// The whole configuration first: a bad one ends the process at once, naming every bad variable.
let env: WorkerEnv;
try {
  env = loadWorkerEnv();
} catch (error) {
  console.error(`[worker] cannot start: ${error instanceof InvalidEnvError ? error.message : String(error)}`);
  process.exit(1);
}

try {
  const worker = await startWorkerProcess(env);
  await stopOnSignals(worker.runner);
  let failed = false;
  await worker.runner.promise.catch((error: unknown) => {
    failed = true;
    console.error('[worker] stopped on an error:', error);
  });
  await worker.close();
  console.info('[worker] stopped');
  const left = agentsLeftRunningLine(runningLocalAgents(localHostEnv(env).AGENT_STATE_DIR ?? ''));
  if (left) console.info(left);
  process.exit(failed ? 1 : 0);
} catch (error) {
  console.error('[worker] could not start:', error);
  process.exit(1);
}
