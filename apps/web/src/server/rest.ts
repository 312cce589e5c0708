import 'server-only';
import { createRestHandler } from '@pocket-smyth/api';
import { env } from '~/env';
import { db } from './db';
import { enqueue } from './enqueue';
import { mailer } from './mailer';
import { getViewer } from './viewer';

export const restHandler = createRestHandler({
  db,
  enqueue,
  mailer,
  portalUrl: env.AUTH_URL,
  resolveSession: () => getViewer(),
  tokenMaxDays: env.API_TOKEN_MAX_DAYS,
  rateLimits: {
    authenticated: { limit: env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
    anonymous: { limit: env.RATE_LIMIT_ANONYMOUS_PER_MINUTE, windowMs: 60_000 },
  },
});
