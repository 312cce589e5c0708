import { createTRPCRouter } from '../../trpc';
import { adminActivityRouter } from './activity';
import { adminAgentsRouter } from './agents';
import { adminHostsRouter } from './hosts';
import { adminOutboxRouter } from './outbox';
import { adminPlansRouter } from './plans';
import { adminRolloutsRouter } from './rollouts';
import { adminRunsRouter } from './runs';
import { adminSettingsRouter } from './settings';
import { adminTokensRouter } from './tokens';
import { adminUsageRouter } from './usage';
import { adminUsersRouter } from './users';

export const adminRouter = createTRPCRouter({
  users: adminUsersRouter,
  activity: adminActivityRouter,
  tokens: adminTokensRouter,
  runs: adminRunsRouter,
  outbox: adminOutboxRouter,
  hosts: adminHostsRouter,
  agents: adminAgentsRouter,
  usage: adminUsageRouter,
  settings: adminSettingsRouter,
  rollouts: adminRolloutsRouter,
  plans: adminPlansRouter,
});
