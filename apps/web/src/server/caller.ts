import 'server-only';
import { createCaller } from '@pocket-smyth/api';
import { headers } from 'next/headers';
import { createRequestContext } from './trpc-context';

/** The tRPC procedures, called in-process by server components for a page's first paint. */
export async function serverCaller() {
  return createCaller(await createRequestContext(await headers()));
}
