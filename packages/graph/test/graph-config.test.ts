import { describe, expect, it } from 'vitest';
import { extensionAttributeName, parseRetryAfter } from '../src';
import { graphConfig, graphEnv } from '../src/env';

const graphConfigFromEnv = (source: Record<string, string>) => graphConfig(graphEnv.parse(source));

describe('the graph env fragment', () => {
  it('is null when Graph is not configured at all', () => {
    expect(graphConfigFromEnv({})).toBeNull();
  });

  it('reads every GRAPH_* variable, with Microsoft’s public endpoints as defaults', () => {
    const required = {
      GRAPH_TENANT_ID: 'contoso.onmicrosoft.com',
      GRAPH_CLIENT_ID: 'client-id',
      GRAPH_CLIENT_SECRET: 'secret',
      GRAPH_B2C_EXTENSION_APP_ID: 'b2c0a1b2-c3d4-e5f6-0718-293a4b5c6d7e',
    };
    expect(graphConfigFromEnv(required)).toEqual({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'client-id',
      clientSecret: 'secret',
      extensionAppId: 'b2c0a1b2-c3d4-e5f6-0718-293a4b5c6d7e',
      b2cIssuer: null,
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityUrl: 'https://login.microsoftonline.com',
    });
    expect(
      graphConfigFromEnv({
        ...required,
        GRAPH_B2C_ISSUER: 'contosob2c.onmicrosoft.com',
        GRAPH_BASE_URL: 'https://127.0.0.1:8443',
        GRAPH_AUTHORITY_URL: 'https://127.0.0.1:8444',
      }),
    ).toMatchObject({
      b2cIssuer: 'contosob2c.onmicrosoft.com',
      graphBaseUrl: 'https://127.0.0.1:8443',
      authorityUrl: 'https://127.0.0.1:8444',
    });
  });

  it('names each variable missing from a partial configuration, next to any other bad one', () => {
    const result = graphEnv.safeParse({
      GRAPH_TENANT_ID: 't',
      GRAPH_CLIENT_ID: 'c',
      GRAPH_BASE_URL: 'http://graph.example',
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'GRAPH_BASE_URL',
      'GRAPH_CLIENT_SECRET',
      'GRAPH_B2C_EXTENSION_APP_ID',
    ]);
    expect(result.error?.issues[1]?.message).toMatch(
      /partly configured \(GRAPH_TENANT_ID, GRAPH_CLIENT_ID\)/,
    );
  });
});

describe('extensionAttributeName', () => {
  it('drops the hyphens of the extensions app id', () => {
    expect(extensionAttributeName('B2C0A1B2-c3d4-e5f6-0718-293a4b5c6d7e', 'agentUrl')).toBe(
      'extension_b2c0a1b2c3d4e5f60718293a4b5c6d7e_agentUrl',
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
