import 'server-only';
import { createContext } from '@pocket-smyth/api';
import { db } from './db';
import { clientIpFrom, requestIdFrom } from './request-meta';
import { getViewer } from './viewer';

export async function createRequestContext(headers: Headers) {
  const person = await getViewer();
  return createContext({
    db,
    principal: person ? { via: 'session', person } : null,
    requestId: requestIdFrom(headers),
    ip: clientIpFrom(headers),
  });
}
