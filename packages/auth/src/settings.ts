/** What the auth package needs to know, already validated by the app's env.ts. */
export interface AuthSettings {
  secret: string;
  /** Development sign-in by email alone. The app only turns it on outside production. */
  devLogin: boolean;
  /** Lowercased addresses that become active admins at first sign-in. */
  adminEmails: readonly string[];
  /** A generic OIDC provider (Azure AD B2C, Entra External ID, any OIDC issuer). */
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
  /**
   * Subdomain mode (docs/ARCHITECTURE.md, "Hostnames"). Cookies stay host-only all the same: the session
   * cookie lives on `login.DOMAIN`, each `{username}.DOMAIN` gets its own through the host-session
   * handshake ("Security rules").
   */
  domain: string | null;
  /** True when the app is served over https (secure cookie names, as Auth.js picks them). */
  secureCookies: boolean;
  /** Magic-link lifetime in seconds. */
  magicLinkMaxAge: number;
}
