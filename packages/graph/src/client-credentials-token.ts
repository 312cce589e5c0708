import { errorClassForStatus, IdpError, parseRetryAfter } from './idp-error';

export interface ClientCredentialsSettings {
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  requestTimeoutMs: number;
}

export interface AccessTokenSource {
  /** A valid token, fetched only when the cached one is missing or about to expire. Throws `IdpError`. */
  getToken(signal?: AbortSignal): Promise<string>;
}

/** Renew this long before the stated expiry, so a token never runs out during a request. */
const expiryMarginMs = 60_000;

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * OAuth 2.0 client-credentials against the Microsoft identity platform:
 * `POST {authority}/{tenant}/oauth2/v2.0/token`. One fetch at a time; concurrent callers share it.
 */
export function clientCredentialsToken(settings: ClientCredentialsSettings): AccessTokenSource {
  const tokenUrl = `${settings.authorityUrl.replace(/\/+$/, '')}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`;
  let cached: { token: string; renewAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    let response: Response;
    try {
      response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: settings.clientId,
          client_secret: settings.clientSecret,
          scope: settings.scope,
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new IdpError(`Token endpoint unreachable: ${(error as Error).message}`, {
        errorClass: 'idp_unavailable',
        cause: error,
      });
    }
    const body = (await response.json().catch(() => ({}))) as TokenResponse;
    if (!response.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : null;
      // The description names the AADSTS error, e.g. an expired secret; it never contains the secret.
      const description =
        typeof body.error_description === 'string' ? body.error_description.split('\n')[0] : '';
      throw new IdpError(
        `Token endpoint refused (HTTP ${response.status}${code ? `, ${code}` : ''})${description ? `: ${description}` : ''}`,
        {
          errorClass: errorClassForStatus(response.status),
          status: response.status,
          code,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        },
      );
    }
    const lifetimeMs =
      (typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in)) * 1000;
    // Half the lifetime at most, so even a short-lived token is reused before it is replaced.
    const renewIn = Number.isFinite(lifetimeMs)
      ? Math.max(0, lifetimeMs - Math.min(expiryMarginMs, lifetimeMs / 2))
      : 0;
    cached = { token: body.access_token, renewAt: Date.now() + renewIn };
    return body.access_token;
  }

  return {
    async getToken(signal) {
      if (cached && Date.now() < cached.renewAt) return cached.token;
      inFlight ??= fetchToken(signal).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
