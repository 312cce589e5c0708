import 'server-only';
import { createContextFactory, createTrpcHandler } from '@pocket-smyth/api';
import { requestServices } from './request-services';
import { getViewer } from './viewer';

const contextFor = createContextFactory(requestServices);

/** The context of a server component calling procedures in-process for the signed-in browser. */
export async function createRequestContext(headers: Headers) {
  const person = await getViewer();
  return contextFor({ principal: person ? { via: 'session', person } : null, headers });
}

/**
 * `/api/trpc`: the same services and session, with the REST adapter's edge rules (a strict body, and
 * writes on the session cookie only from the portal's own origins).
 */
export const trpcHandler = createTrpcHandler({
  ...requestServices,
  resolveSession: () => getViewer(),
});
