import { z } from 'zod';

/** graphile-worker adds `_cron` to the payload of jobs it schedules; a job started by hand has none. */
export const cronPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
});
