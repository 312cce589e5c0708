import 'server-only';
import type { RequestServices } from '@pocket-smyth/api';
import { env } from '~/env';
import { db } from './db';
import { enqueue } from './enqueue';
import { mailer } from './mailer';
import { originOf } from './openapi';

/**
 * The one set of services every request context is built from, for `/api/trpc` (and the server
 * components that call procedures in-process) and the REST adapter alike: same mailer, same queue, same
 * token limit, same portal URL in mail links.
 */
export const requestServices: RequestServices = {
  db,
  enqueue,
  mailer,
  tokenMaxDays: env.API_TOKEN_MAX_DAYS,
  portalUrl: env.AUTH_URL ?? ((headers) => originOf(headers, 'http://localhost:3000')),
  hostKeyEncryptionKey: env.HOST_KEY_ENCRYPTION_KEY ?? null,
};
