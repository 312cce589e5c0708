import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { adminRouter } from './routers/admin';
import { agentRouter } from './routers/agent';
import { runsRouter } from './routers/runs';
import { systemRouter } from './routers/system';
import { tokensRouter } from './routers/tokens';
import { userRouter } from './routers/user';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  user: userRouter,
  admin: adminRouter,
  agent: agentRouter,
  tokens: tokensRouter,
  runs: runsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
