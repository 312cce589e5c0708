import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppServer } from './app-server';
import { ownProcessGroup, stopProcessGroup } from './process-group';

const workerDir = path.resolve(import.meta.dirname, '..', '..', 'apps', 'worker');

export interface WorkerProcess {
  logs(): string;
  stop(): Promise<void>;
}

/**
 * The real worker (apps/worker, `tsx src/main.ts`) on the app's data directory and Postgres, with the
 * local host running agents as bundled sample-agent processes under `agentStateDir`.
 */
export function startWorker(
  app: AppServer,
  agentStateDir: string,
  extraEnv: Record<string, string> = {},
): WorkerProcess {
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(workerDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/main.ts'],
    {
      cwd: workerDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATA_DIR: app.dataDir,
        DATABASE_URL: app.databaseUrl,
        PORTAL_URL: app.baseUrl,
        AGENT_RUNTIME: 'process',
        AGENT_STATE_DIR: agentStateDir,
        WORKER_CONCURRENCY: '4',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...ownProcessGroup,
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return {
    logs: () => output,
    async stop() {
      await stopProcessGroup(child, 15_000);
      killAgents(agentStateDir);
    },
  };
}

/** The sample agents are detached processes: end every one the test started. */
function killAgents(stateDir: string): void {
  if (!existsSync(stateDir)) return;
  for (const name of readdirSync(stateDir)) {
    const pidFile = path.join(stateDir, name, 'pid');
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
}
