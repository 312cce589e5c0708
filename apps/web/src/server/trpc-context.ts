import 'server-only';
import { clientIpFrom, createContext, requestIdFrom } from '@pocket-smyth/api';
import { env } from '~/env';
import { db } from './db';
import { enqueue } from './enqueue';
import { mailer } from './mailer';
import { originOf } from './openapi';
import { getViewer } from './viewer';

export async function createRequestContext(headers: Headers) {
  const person = await getViewer();
  return createContext({
    db,
    principal: person ? { via: 'session', person } : null,
    requestId: requestIdFrom(headers),
    ip: clientIpFrom(headers),
    enqueue,
    mailer,
    // The same limit as the REST routes: a token made on the dashboard is held to it too.
    tokenMaxDays: env.API_TOKEN_MAX_DAYS,
    portalUrl: env.AUTH_URL ?? originOf(headers, 'http://localhost:3000'),
  });
}
