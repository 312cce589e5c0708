// The tRPC + REST transport. Domain functions live in @pocket-smyth/core; import them from there.
export type { Context, CreateContextOptions, Principal, RequestFacts, RequestServices } from './context';
export { createContext, createContextFactory, DEFAULT_TOKEN_MAX_DAYS } from './context';
export { createMetricsHandler, type MetricsHandlerOptions } from './metrics/handler';
export { createHttpMetrics, type HttpMetrics } from './metrics/http-metrics';
export {
  cookieWriteRefusal,
  isWriteMethod,
  originRefusal,
  type PortalOriginSettings,
  type PortalOrigins,
  portalOriginsFor,
  publicOriginOf,
} from './request-origin';
export { createRestHandler, defaultRateLimits, type RestHandlerOptions } from './rest/handler';
export { buildOpenApiDocument } from './rest/openapi-document';
export {
  type ClientAddressRule,
  clientIpFrom,
  NO_TRUSTED_ADDRESS,
  normaliseAddress,
  PEER_HEADER,
  requestIdFrom,
} from './rest/request-meta';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root';
export { createTrpcHandler, type TrpcHandlerOptions } from './trpc-handler';
