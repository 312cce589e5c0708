import 'server-only';
import { createRestHandler } from '@pocket-smyth/api';
import { httpMetrics } from './http-metrics';
import { requestServices } from './request-services';
import { getViewer } from './viewer';

export const restHandler = createRestHandler({
  ...requestServices,
  // The budgets and their counter are requestServices' (the same counts as /api/trpc).
  resolveSession: () => getViewer(),
  httpMetrics: httpMetrics(),
});
