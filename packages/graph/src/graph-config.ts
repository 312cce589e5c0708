/**
 * Everything needed to write B2C extension attributes through Microsoft Graph. Apps get it from
 * `@pocket-smyth/graph/env` (`graphConfig(env)`, the GRAPH_* variables).
 */
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
