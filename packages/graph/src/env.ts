import { z } from 'zod';
import { defaultAuthorityUrl, defaultGraphBaseUrl, type GraphConfig } from './graph-config';

const required = [
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_B2C_EXTENSION_APP_ID',
] as const;

/**
 * Microsoft Graph's settings (B2C extension attributes), as a zod fragment each app composes into its
 * one env.ts (docs/ARCHITECTURE.md, "Configuration"). None of the four required ones set: Graph is off
 * and the "update identity provider" step is skipped; some of them: an error naming the missing ones.
 */
export const graphEnv = z
  .object({
    /** Tenant id or domain (`contoso.onmicrosoft.com`). */
    GRAPH_TENANT_ID: z.string().trim().optional(),
    /** App registration with the application permission User.ReadWrite.All. */
    GRAPH_CLIENT_ID: z.string().trim().optional(),
    GRAPH_CLIENT_SECRET: z.string().trim().optional(),
    /** App id of the tenant's b2c-extensions-app (hyphens are fine). */
    GRAPH_B2C_EXTENSION_APP_ID: z.string().trim().optional(),
    /** Issuer of local-account identities. Default: GRAPH_TENANT_ID when it is a domain. */
    GRAPH_B2C_ISSUER: z.string().trim().optional(),
    /** Default https://graph.microsoft.com. https only: the Graph client sends no token over http. */
    GRAPH_BASE_URL: z.url({ protocol: /^https$/, error: 'GRAPH_BASE_URL is an https:// URL' }).optional(),
    /** Default https://login.microsoftonline.com. */
    GRAPH_AUTHORITY_URL: z.url().optional(),
  })
  .superRefine(
    (env, ctx) => {
      const missing = required.filter((name) => !env[name]);
      if (missing.length === 0 || missing.length === required.length) return;
      const set = required.filter((name) => env[name]).join(', ');
      for (const name of missing) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `Microsoft Graph is partly configured (${set}); set all four GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_B2C_EXTENSION_APP_ID, or none`,
        });
      }
    },
    // Checked even when another variable is wrong, so that one start names every bad variable.
    { when: () => true },
  );

export type GraphEnv = z.infer<typeof graphEnv>;

/** Graph's configuration from the parsed fragment; null when Graph is off (`createGraphSync(null)`). */
export function graphConfig(env: GraphEnv): GraphConfig | null {
  const { GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_B2C_EXTENSION_APP_ID } = env;
  if (!GRAPH_TENANT_ID || !GRAPH_CLIENT_ID || !GRAPH_CLIENT_SECRET || !GRAPH_B2C_EXTENSION_APP_ID)
    return null;
  return {
    tenantId: GRAPH_TENANT_ID,
    clientId: GRAPH_CLIENT_ID,
    clientSecret: GRAPH_CLIENT_SECRET,
    extensionAppId: GRAPH_B2C_EXTENSION_APP_ID,
    b2cIssuer: env.GRAPH_B2C_ISSUER || null,
    graphBaseUrl: env.GRAPH_BASE_URL ?? defaultGraphBaseUrl,
    authorityUrl: env.GRAPH_AUTHORITY_URL ?? defaultAuthorityUrl,
  };
}
