import 'server-only';
import { clientIpFrom, createContext, requestIdFrom } from '@pocket-smyth/api';
import { db } from './db';
import { enqueue } from './enqueue';
import { getViewer } from './viewer';

export async function createRequestContext(headers: Headers) {
  const person = await getViewer();
  return createContext({
    db,
    principal: person ? { via: 'session', person } : null,
    requestId: requestIdFrom(headers),
    ip: clientIpFrom(headers),
    enqueue,
  });
}
