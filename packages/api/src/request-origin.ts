/**
 * Cookie-authenticated writes prove they come from the portal (docs/ARCHITECTURE.md, "Security
 * rules"). A browser attaches the session cookie to a request any page starts (a plain HTML form, a
 * `no-cors` fetch); SameSite=Lax does not help in subdomain mode, where every `{username}.DOMAIN` (and
 * so every person's agent page) is same-site with `login.DOMAIN`. So a write that rides on the cookie
 * must carry an `Origin` the app itself configured, must not be marked cross-site by the browser, and
 * must send JSON (which a cross-origin page cannot send without a CORS preflight the app never grants).
 * Bearer-token calls carry no ambient credential and are not checked.
 *
 * One rule for both transports: the REST adapter (`rest/handler.ts`) and `/api/trpc`
 * (`trpc-handler.ts`) call `cookieWriteRefusal`; the app hands both the same `PortalOrigins` policy,
 * built here from its configuration by `portalOriginsFor`.
 *
 * Next's server actions (apps/web/src/app/actions.ts, signin/actions.ts) are checked by Next itself:
 * the Origin's host must equal the request's (X-Forwarded-)Host. That refuses every other subdomain,
 * which is what matters here, but not a page on the same host, and `{username}.DOMAIN/agent/*` is the
 * same host as that person's portal. It suffices for sign-in and sign-out (nothing a forger gains
 * from); every other action calls the procedures through `procedureAction`
 * (apps/web/src/server/procedure-action.ts), which applies `originRefusal` from here first.
 */

/** Methods that never change anything; every other method is a write. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWriteMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The signed-in person a write is made for, as far as the origin rule cares. */
export interface OriginViewer {
  username: string | null;
}

/**
 * The exact origins (`scheme://host[:port]`) a cookie-authenticated write by `viewer` may come from.
 * `headers` are the request's, for the one case where the app has no configured public URL.
 */
export type PortalOrigins = (viewer: OriginViewer, headers: Headers) => readonly string[];

/** Where the app is reached, from its configuration (apps/web/src/env.ts). */
export interface PortalOriginSettings {
  /** Subdomain mode: `login.DOMAIN` and `{username}.DOMAIN`. Null: one origin. */
  domain: string | null;
  /** AUTH_URL, the public URL of the sign-in host. */
  authUrl: string | null;
  /** PORTAL_URL when the operator set it (not its default). */
  portalUrl: string | null;
  /** PORT, for the default `http://localhost:PORT`. */
  port: number;
}

/**
 * The app's public origin: AUTH_URL's; else PORTAL_URL's; else `https://login.DOMAIN` in subdomain
 * mode, `http://localhost:PORT` on one origin. Never the request's Host, which any client chooses.
 */
export function publicOriginOf(settings: PortalOriginSettings): string {
  if (settings.authUrl) return new URL(settings.authUrl).origin;
  if (settings.domain) return `https://login.${settings.domain}`;
  if (settings.portalUrl) return new URL(settings.portalUrl).origin;
  return `http://localhost:${settings.port}`;
}

/**
 * The app's origin policy:
 * - subdomain mode: `login.DOMAIN` and the viewer's own `{username}.DOMAIN`, never anyone else's
 *   subdomain (another person's agent page is exactly the attacker). Scheme and port are AUTH_URL's;
 *   without AUTH_URL, http or https on the port the request was sent to.
 * - one origin: AUTH_URL's and PORTAL_URL's origins. Only when neither is configured is the request's
 *   own Host accepted as well (a Host the browser set to where it sent the request, so a forged page
 *   on another origin still fails), so `pnpm dev` works on any address.
 */
export function portalOriginsFor(settings: PortalOriginSettings): PortalOrigins {
  const configured = [settings.authUrl, settings.portalUrl]
    .filter((u): u is string => Boolean(u))
    .map((u) => new URL(u).origin);
  if (settings.domain) {
    const domain = settings.domain;
    const auth = settings.authUrl ? new URL(settings.authUrl) : null;
    return (viewer, headers) => {
      const labels = ['login', ...(viewer.username ? [viewer.username.toLowerCase()] : [])];
      if (auth) {
        const port = auth.port ? `:${auth.port}` : '';
        return labels.map((label) => `${auth.protocol}//${label}.${domain}${port}`);
      }
      const port = portOfHost(headers.get('host'));
      return labels.flatMap((label) => [
        `https://${label}.${domain}${port}`,
        `http://${label}.${domain}${port}`,
      ]);
    };
  }
  if (configured.length > 0) return () => configured;
  const fallback = publicOriginOf(settings);
  return (_viewer, headers) => {
    const host = headers.get('host')?.trim().toLowerCase();
    const own = host && /^[a-z0-9.:[\]-]+$/.test(host) ? [`http://${host}`, `https://${host}`] : [];
    return [fallback, ...own];
  };
}

function portOfHost(host: string | null): string {
  const port = /:(\d{1,5})$/.exec(host?.trim() ?? '')?.[1];
  return port ? `:${port}` : '';
}

/** `scheme://host[:port]` in one spelling (default ports dropped, lower case), or null. */
function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Why a write riding on the session cookie is refused, or null when it may go on. Call it for every
 * cookie-authenticated request with a write method; `bodyText` is the body as read (strict UTF-8).
 *
 * - `Origin` present: it must be one of `allowed` (`null`, as sandboxed frames and some redirects
 *   send it, never is), and `Sec-Fetch-Site` must not say `cross-site`.
 * - `Origin` absent: only `Sec-Fetch-Site: same-origin` vouches for the request; without either
 *   header it is refused (every current browser sends `Origin` on a POST).
 * - the body is JSON: `Content-Type: application/json` (parameters such as charset allowed), or no
 *   Content-Type and no body at all.
 */
export function cookieWriteRefusal(
  req: { method: string; headers: Headers },
  allowed: readonly string[],
  bodyText: string,
): string | null {
  if (!isWriteMethod(req.method)) return null;
  const refusal = originRefusal(req.headers, allowed);
  if (refusal) return refusal;
  const contentType = req.headers.get('content-type');
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? null;
  if (mediaType === null ? bodyText.length > 0 : mediaType !== 'application/json') {
    return 'Signed-in changes must send a JSON body (Content-Type: application/json).';
  }
  return null;
}

/**
 * The origin half of `cookieWriteRefusal`, for the portal's server actions
 * (apps/web/src/server/procedure-action.ts), whose bodies are Next's own encoding (a form post, even)
 * rather than JSON. Without the JSON rule the origin carries it alone: every current browser sends
 * `Origin` on a POST, a plain form's included, and it must be one the app configured; a request
 * without it passes only when the browser itself says `Sec-Fetch-Site: same-origin`.
 */
export function originRefusal(headers: Headers, allowed: readonly string[]): string | null {
  const origin = headers.get('origin');
  const fetchSite = headers.get('sec-fetch-site')?.trim().toLowerCase() ?? null;
  if (origin !== null) {
    const canonical = canonicalOrigin(origin.trim());
    const accepted = new Set(allowed.map((a) => canonicalOrigin(a)).filter(Boolean));
    if (!canonical || !accepted.has(canonical) || fetchSite === 'cross-site') {
      return 'This request did not come from the portal: signed-in changes must be sent by its own pages.';
    }
  } else if (fetchSite !== 'same-origin') {
    return 'This request does not say where it came from: signed-in changes must be sent by the portal’s own pages.';
  }
  return null;
}
