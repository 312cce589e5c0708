import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type AppServer, startApp } from './app-server';
import { launchBrowser } from './browser';
import { startWorker, type WorkerProcess } from './worker-process';

/** The production web server, a real worker on the local host (sample-agent processes) and Chromium. */
export interface FullStack {
  app: AppServer;
  worker: WorkerProcess;
  browser: Browser;
  /** Where the local host keeps its agents (pid files, logs, data). */
  agentStateDir: string;
}

/**
 * Starts the whole stack before the file's tests and stops it after them. The returned object is filled
 * in by `beforeAll`, so read its fields inside tests and hooks, not at module level.
 */
export function useFullStack(): FullStack {
  const stack = {} as FullStack;
  beforeAll(async () => {
    stack.agentStateDir = mkdtempSync(path.join(tmpdir(), 'pocket-smyth-agents-'));
    stack.app = await startApp({ AGENT_STATE_DIR: stack.agentStateDir });
    stack.worker = startWorker(stack.app, stack.agentStateDir);
    stack.browser = await launchBrowser();
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.worker?.stop();
    await stack.app?.stop();
    if (stack.agentStateDir) rmSync(stack.agentStateDir, { recursive: true, force: true });
  });
  return stack;
}
