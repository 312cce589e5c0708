import { countedAs } from '~/server/http-metrics';
import { trpcHandler } from '~/server/trpc-context';

// tRPC for the dashboard; the handler checks the URL, the body and where a write comes from first.
const counted = countedAs('/trpc', trpcHandler);
export const GET = counted;
export const POST = counted;
