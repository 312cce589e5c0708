/** Everything needed to write B2C extension attributes through Microsoft Graph. */
export interface GraphConfig {
  /** Directory (tenant) id, or its domain, e.g. `contoso.onmicrosoft.com`. */
  tenantId: string;
  /** The app registration that holds the `User.ReadWrite.All` application permission. */
  clientId: string;
  clientSecret: string;
  /**
   * The app id (client id) of the tenant's `b2c-extensions-app`, which owns the custom attributes.
   * With or without hyphens; attribute names use it without.
   */
  extensionAppId: string;
  /**
   * Issuer of B2C local-account identities, used to find a person by email: normally
   * `<tenant>.onmicrosoft.com`. Defaults to `tenantId` when that is a domain name.
   */
  b2cIssuer?: string | null;
  /** Default https://graph.microsoft.com. Must be https: the Graph client sends no token over http. */
  graphBaseUrl?: string;
  /** Default https://login.microsoftonline.com. */
  authorityUrl?: string;
  /** Default `https://graph.microsoft.com/.default`; a national cloud needs its own Graph host here. */
  tokenScope?: string;
  /** Per request; a hung service must not hold a job forever. Default 15 s. */
  requestTimeoutMs?: number;
}

export const defaultGraphBaseUrl = 'https://graph.microsoft.com';
export const defaultAuthorityUrl = 'https://login.microsoftonline.com';
export const defaultTokenScope = 'https://graph.microsoft.com/.default';

/**
 * Reads GRAPH_* variables. Null when none of the four required ones is set: Graph is then not
 * configured and the caller records its step as skipped. A partial set is a mistake, so it throws.
 */
export function graphConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): GraphConfig | null {
  const read = (name: string) => env[name]?.trim() || null;
  const required = {
    GRAPH_TENANT_ID: read('GRAPH_TENANT_ID'),
    GRAPH_CLIENT_ID: read('GRAPH_CLIENT_ID'),
    GRAPH_CLIENT_SECRET: read('GRAPH_CLIENT_SECRET'),
    GRAPH_B2C_EXTENSION_APP_ID: read('GRAPH_B2C_EXTENSION_APP_ID'),
  };
  const missing = Object.entries(required)
    .filter(([, value]) => value === null)
    .map(([name]) => name);
  if (missing.length === 4) return null;
  if (missing.length > 0)
    throw new Error(`Microsoft Graph is partly configured; also set ${missing.join(', ')}`);
  return {
    tenantId: required.GRAPH_TENANT_ID ?? '',
    clientId: required.GRAPH_CLIENT_ID ?? '',
    clientSecret: required.GRAPH_CLIENT_SECRET ?? '',
    extensionAppId: required.GRAPH_B2C_EXTENSION_APP_ID ?? '',
    b2cIssuer: read('GRAPH_B2C_ISSUER'),
    graphBaseUrl: read('GRAPH_BASE_URL') ?? defaultGraphBaseUrl,
    authorityUrl: read('GRAPH_AUTHORITY_URL') ?? defaultAuthorityUrl,
  };
}
