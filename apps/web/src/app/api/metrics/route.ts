import { createMetricsHandler } from '@pocket-smyth/api';
import { env } from '~/env';
import { db } from '~/server/db';
import { httpMetrics } from '~/server/http-metrics';
import { requestServices } from '~/server/request-services';

// Prometheus metrics (docs/ARCHITECTURE.md, "Health"): METRICS_TOKEN or an admin's API token with
// admin:system:read. The database's figures are the same on every instance; the HTTP ones are this
// instance's, so scrape each instance.
export const dynamic = 'force-dynamic';

export const GET = createMetricsHandler({
  db,
  http: httpMetrics(),
  metricsToken: env.METRICS_TOKEN,
  clientAddress: requestServices.clientAddress,
});
