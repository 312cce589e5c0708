import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * What a browser context saw go wrong under the pages' Content-Security-Policy: every
 * `securitypolicyviolation` event (reported through a binding, which no policy can block) and every
 * console error, so a blocked script, style or connection cannot pass unnoticed.
 */
export interface CspWatch {
  violations: string[];
  errors: string[];
  /** Starts listening on a page of the context (console errors are per page). */
  watch(page: Page): Page;
}

export async function watchCsp(context: BrowserContext): Promise<CspWatch> {
  const violations: string[] = [];
  const errors: string[] = [];
  await context.exposeBinding('__reportCspViolation', ({ frame }, text: string) => {
    violations.push(`${frame.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample}`.trim());
    });
  });
  return {
    violations,
    errors,
    watch(page) {
      page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
      });
      return page;
    },
  };
}

export interface FramingSite {
  /** The page that frames `target`, e.g. `http://localhost:{port}/`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Another origin on loopback (its own port: same site as the app on `localhost`, so the browser sends the
 * app's SameSite=Lax cookies into the frame, as it would for a sibling subdomain) serving a page that
 * frames `target` full size: a clickjacking page.
 */
export async function startFramingSite(target: string): Promise<FramingSite> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framing site</title></head><body><h1>Framing site</h1><iframe id="victim" title="victim" src="${target}" width="1200" height="800"></iframe></body></html>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://localhost:${port}/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HeaderAgent {
  port: number;
  stop(): Promise<void>;
}

/**
 * A stand-in agent with headers of its own: its pages run an inline script (which the portal's policy
 * would refuse) that retitles the page; under `/agent/strict` it sends its own strict policy and
 * `X-Frame-Options: DENY`.
 */
export async function startHeaderAgent(): Promise<HeaderAgent> {
  const server: Server = createServer((req, res) => {
    const strict = (req.url ?? '').startsWith('/agent/strict');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(strict ? { 'content-security-policy': "default-src 'none'", 'x-frame-options': 'DENY' } : {}),
    });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agent</title></head><body><h1>The agent</h1><script>document.title = 'agent ran its script';</script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
