/**
 * The portal's security headers (docs/ARCHITECTURE.md, "Security rules"): a Content-Security-Policy with
 * a fresh nonce per request, frame, sniffing and referrer rules, and HSTS behind https. Pure functions of
 * their arguments (no env, no Next runtime), so a unit test can call them; `proxy.ts` wraps its routing
 * with `withSecurityHeaders`, and `agent-proxy.ts` gives proxied agent answers `agentFrameHeaders`.
 *
 * How the nonce reaches the page: the wrapper puts the policy on the *request* headers Next renders with
 * (Next reads `'nonce-…'` from the request's `content-security-policy` and stamps it on its own scripts,
 * React's inline ones included), and the same policy on the response. That only works for pages rendered
 * per request, so the root layout waits for a request (`connection()`).
 */

export interface SecurityHeaderSettings {
  /** `next dev`: React needs `eval` for its debugging aids (never in production). */
  dev: boolean;
  /** The public URL (AUTH_URL) is https: HSTS and upgrade-insecure-requests. */
  https: boolean;
  /**
   * Where a form may send the browser besides the page's own origin, redirects included (Chromium checks
   * `form-action` on every redirect of a form submission): the OIDC provider, and in subdomain mode the
   * other portal hosts (sign-in on `login.DOMAIN` lands on `{username}.DOMAIN`, signing out the reverse).
   */
  formActionSources: readonly string[];
}

/** What `securityHeaderSettings` reads: fields of the app's parsed env (src/env.ts). */
export interface SecurityHeaderEnv {
  NODE_ENV?: string;
  AUTH_URL?: string;
  OIDC_ISSUER?: string;
  DOMAIN?: string;
}

export function securityHeaderSettings(env: SecurityHeaderEnv): SecurityHeaderSettings {
  const authUrl = env.AUTH_URL ? new URL(env.AUTH_URL) : null;
  const formActionSources: string[] = [];
  if (env.OIDC_ISSUER) formActionSources.push(new URL(env.OIDC_ISSUER).origin);
  if (env.DOMAIN) {
    // Without AUTH_URL the scheme is the page's own (a host-source without one matches it) and the
    // port is unknown.
    formActionSources.push(
      authUrl
        ? `${authUrl.protocol}//*.${env.DOMAIN}${authUrl.port ? `:${authUrl.port}` : ''}`
        : `*.${env.DOMAIN}:*`,
    );
  }
  return {
    dev: env.NODE_ENV === 'development',
    https: authUrl?.protocol === 'https:',
    formActionSources,
  };
}

/** 128 random bits, base64: what Next accepts as a nonce (`'nonce-[A-Za-z0-9+/_-]+={0,2}'`). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The portal's policy for one response.
 * - Scripts: only those carrying this request's nonce, and what they load (`'strict-dynamic'`: Next's
 *   chunks); `'self'` is for browsers older than CSP 3, which ignore `'strict-dynamic'`.
 * - Styles: the app's own CSS files plus inline styles. `'unsafe-inline'` is needed for style
 *   *attributes* (server-rendered `style={…}`, e.g. the host capacity bars, and the proxy's own 403/404
 *   pages), which a nonce cannot cover; a nonce in `style-src` would switch `'unsafe-inline'` off.
 * - `frame-ancestors 'self'`: nobody else may frame the portal (clickjacking); `X-Frame-Options` says the
 *   same to browsers without CSP 2.
 */
export function contentSecurityPolicy(nonce: string, settings: SecurityHeaderSettings): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    [
      'script-src',
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(settings.dev ? ["'unsafe-eval'"] : []),
    ],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    // The app talks to itself only: /api/trpc, /api/*, and in development the HMR WebSocket (same origin).
    ['connect-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'", ...settings.formActionSources],
    ['frame-ancestors', "'self'"],
  ];
  if (settings.https) directives.push(['upgrade-insecure-requests']);
  return directives.map((d) => d.join(' ')).join('; ');
}

/**
 * The headers every portal answer carries besides the CSP, whatever produced it (a page, a route
 * handler, a redirect or the proxy's own 403). `strict-origin-when-cross-origin`: other sites learn the
 * portal's origin at most, never a path or query. Stricter policies are not used because they change the
 * `Origin` header browsers send on POSTs (`no-referrer` makes it `null`), which cookie-authenticated
 * writes must carry.
 */
export function staticSecurityHeaders(settings: Pick<SecurityHeaderSettings, 'https'>): [string, string][] {
  const headers: [string, string][] = [
    ['X-Frame-Options', 'SAMEORIGIN'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ];
  if (settings.https) headers.push(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  return headers;
}

/**
 * The agent's own URL space in the app (`/agent/*`, `/u/{username}/agent/*`): its answers are the agent's
 * content and keep the agent's headers (agent-proxy.ts adds only the frame rule). Everything else is the
 * portal's.
 */
export const AGENT_PATH = /^\/(?:u\/[^/]+\/)?agent(?:\/|$)/;

export function isAgentPath(pathname: string): boolean {
  return AGENT_PATH.test(pathname);
}

/**
 * For next.config.ts `headers()`: every path but the agent's (the same rule as `isAgentPath`, in
 * path-to-regexp's syntax).
 */
export const PORTAL_PATHS_SOURCE = '/((?!agent(?:/|$)|u/[^/]+/agent(?:/|$)).*)';

/** Sets the portal's headers on a response's headers: the CSP given and the static ones. */
export function applySecurityHeaders(
  headers: Headers,
  csp: string,
  settings: Pick<SecurityHeaderSettings, 'https'>,
): void {
  headers.set('Content-Security-Policy', csp);
  for (const [name, value] of staticSecurityHeaders(settings)) headers.set(name, value);
}

// How NextResponse.next({ request: { headers } }) asks Next to render with other request headers: the
// list of every header the request keeps, and each one's value under a prefix (next/server's
// `handleMiddlewareField`). A list that omits a header removes it from the request.
const OVERRIDE_LIST = 'x-middleware-override-headers';
const OVERRIDE_PREFIX = 'x-middleware-request-';

/**
 * Adds `extra` to the request headers Next renders with, keeping whatever the routing already chose
 * (its own overrides, or the request as it came). Only for answers that go on to a page or handler
 * (`next()` or a rewrite); a redirect or the proxy's own page renders nothing.
 */
export function forwardRequestHeaders(
  response: Response,
  request: Headers,
  extra: Readonly<Record<string, string>>,
): void {
  const out = response.headers;
  if (!out.has('x-middleware-next') && !out.has('x-middleware-rewrite')) return;
  const listed = out.get(OVERRIDE_LIST);
  const names = new Set<string>();
  if (listed === null) {
    for (const [name, value] of request) {
      out.set(`${OVERRIDE_PREFIX}${name}`, value);
      names.add(name);
    }
  } else {
    for (const name of listed.split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  }
  for (const [name, value] of Object.entries(extra)) {
    const key = name.toLowerCase();
    out.set(`${OVERRIDE_PREFIX}${key}`, value);
    names.add(key);
  }
  out.set(OVERRIDE_LIST, [...names].join(','));
}

type ProxyRequest = Request & { nextUrl: { pathname: string } };

/**
 * Wraps the proxy's routing (`export const proxy = withSecurityHeaders(route, settings)`): every answer
 * it gives, whichever branch returns, carries the portal's headers, and a request that goes on to a page
 * is rendered with the policy's nonce. The agent's URL space passes through untouched when it reaches
 * the agent proxy (agent-proxy.ts adds the frame rule there).
 */
export function withSecurityHeaders<R extends ProxyRequest>(
  route: (request: R) => Response | Promise<Response>,
  settings: SecurityHeaderSettings,
): (request: R) => Promise<Response> {
  return async (request) => {
    const response = writable(await route(request));
    const passes = response.headers.has('x-middleware-next') || response.headers.has('x-middleware-rewrite');
    if (passes && isAgentPath(request.nextUrl.pathname)) return response;
    const nonce = newNonce();
    const csp = contentSecurityPolicy(nonce, settings);
    forwardRequestHeaders(response, request.headers, { 'content-security-policy': csp, 'x-nonce': nonce });
    applySecurityHeaders(response.headers, csp, settings);
    return response;
  };
}

/** The response itself when its headers can change (NextResponse's can), else a copy whose can. */
function writable(response: Response): Response {
  try {
    response.headers.set('x-content-type-options', 'nosniff');
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

/**
 * A proxied agent answer keeps its own headers, its own CSP included (several policies all apply, so
 * the agent can only narrow what it may do, never widen the portal's). It gets one more policy,
 * `frame-ancestors`: only its own origin may frame it (in local mode the portal's origin), or nobody when
 * the agent said `X-Frame-Options: DENY` (a `frame-ancestors` makes browsers ignore that header).
 */
export function agentFrameHeaders(headers: Headers): void {
  const frameOptions = headers.get('x-frame-options')?.trim().toLowerCase();
  headers.append(
    'Content-Security-Policy',
    `frame-ancestors ${frameOptions === 'deny' ? "'none'" : "'self'"}`,
  );
  if (!frameOptions) headers.set('X-Frame-Options', 'SAMEORIGIN');
}
