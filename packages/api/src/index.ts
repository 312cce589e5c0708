// The tRPC + REST transport. Domain functions live in @pocket-smyth/core; import them from there.
export type { Context, CreateContextOptions, Principal, RequestFacts, RequestServices } from './context';
export { createContext, createContextFactory, DEFAULT_TOKEN_MAX_DAYS } from './context';
export { createRestHandler, defaultRateLimits, type RestHandlerOptions } from './rest/handler';
export { buildOpenApiDocument } from './rest/openapi-document';
export { clientIpFrom, requestIdFrom } from './rest/request-meta';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root';
