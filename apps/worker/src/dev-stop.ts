/**
 * `pnpm dev:stop`: stops what `pnpm dev` leaves running on purpose so that restarts are quick: the local
 * process-runtime agents (their state under DATA_DIR/agents, or AGENT_STATE_DIR) and the development
 * Postgres under DATA_DIR. Says what it stopped.
 */

import { dbSettings } from '@pocket-smyth/db/env';
import { devPostgresPathsIn, stopDevPostgres } from '@pocket-smyth/postgres';
import { loadWorkerEnv, localHostEnv } from './env';
import { stopLocalAgents } from './local-agents';

const env = loadWorkerEnv();
const stateDir = localHostEnv(env).AGENT_STATE_DIR ?? '';
const agents = await stopLocalAgents(stateDir);
console.info(
  agents.length > 0
    ? `[dev:stop] stopped ${agents.length} local agent(s): ${agents.map((a) => a.username).join(', ')}`
    : '[dev:stop] no local agents were running',
);
const stopped = await stopDevPostgres(devPostgresPathsIn(dbSettings(env).dataDir));
console.info(
  stopped ? '[dev:stop] development Postgres stopped' : '[dev:stop] no development Postgres was running',
);
