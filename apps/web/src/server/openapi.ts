import 'server-only';
import { buildOpenApiDocument } from '@pocket-smyth/api';
import { publicOrigin } from './request-services';

/**
 * The OpenAPI document, its `servers[]` the app's configured public URL (AUTH_URL, else PORTAL_URL,
 * else the default for the mode and PORT): never the request's Host, which any client chooses and a
 * shared cache would then hand to everyone. Built once.
 */
export const openApiDocument = buildOpenApiDocument(`${publicOrigin}/api`);
