import 'server-only';
import { createContextFactory } from '@pocket-smyth/api';
import { requestServices } from './request-services';
import { getViewer } from './viewer';

const contextFor = createContextFactory(requestServices);

/** The context of a tRPC call from the signed-in browser (or a server component rendering for it). */
export async function createRequestContext(headers: Headers) {
  const person = await getViewer();
  return contextFor({ principal: person ? { via: 'session', person } : null, headers });
}
