import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface FakeIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * A real OIDC server (oidc-provider) on loopback standing in for Azure AD B2C: like a B2C user flow it
 * puts the address in `emails` (an array), not `email`. Its development login form accepts any login,
 * which becomes the subject; the subject is the person's address.
 */
export async function startFakeIdp(port: number, redirectUri: string): Promise<FakeIdp> {
  const issuer = `http://localhost:${port}`;
  const clientId = 'pocket-smyth-portal';
  const clientSecret = 'fake-idp-client-secret';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Without this the id_token carries only `sub` when an access token is issued too, and the address
    // never reaches Auth.js.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['emails'], profile: ['name'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, emails: [sub], name: `Person ${sub.split('@')[0]}` }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['fake-idp-cookie-key'] },
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, () => resolve(s));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
