import { trpcHandler } from '~/server/trpc-context';

// tRPC for the dashboard; the handler checks the URL, the body and where a write comes from first.
export const GET = trpcHandler;
export const POST = trpcHandler;
