import 'server-only';
import { createRestHandler } from '@pocket-smyth/api';
import { env } from '~/env';
import { requestServices } from './request-services';
import { getViewer } from './viewer';

export const restHandler = createRestHandler({
  ...requestServices,
  resolveSession: () => getViewer(),
  rateLimits: {
    authenticated: { limit: env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    anonymous: { limit: env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, windowMs: 60_000 },
  },
});
