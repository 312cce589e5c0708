import type { OIDCConfig } from '@auth/core/providers';
import type { AuthSettings } from './settings';

interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  /** Azure AD B2C puts addresses in `emails` unless the user flow is told to emit `email`. */
  emails?: string[];
  preferred_username?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
}

/** A generic OIDC provider from env: works for Azure AD B2C, Entra External ID and any OIDC issuer. */
export function oidcProvider(oidc: NonNullable<AuthSettings['oidc']>): OIDCConfig<OidcProfile> {
  return {
    id: 'oidc',
    name: oidc.name,
    type: 'oidc',
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    checks: ['pkce', 'state', 'nonce'],
    // The operator's own identity provider vouches for the address, so a person who first used a
    // magic link can later sign in through it without a "use the other provider" dead end.
    allowDangerousEmailAccountLinking: true,
    profile(profile) {
      const email = profile.email ?? profile.emails?.[0] ?? profile.preferred_username ?? null;
      const name =
        profile.name ?? ([profile.given_name, profile.family_name].filter(Boolean).join(' ') || null);
      return { id: profile.sub, email, name, image: profile.picture ?? null };
    },
  };
}
