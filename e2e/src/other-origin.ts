import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtherOrigin {
  port: number;
  /** Serves `html` at `pathname` from now on. */
  page(pathname: string, html: string): void;
  stop(): Promise<void>;
}

/**
 * A web server on another port: a page on another origin than the app's (same-site with it when
 * reached as `localhost` or as another `*.DOMAIN`, as another person's agent page is), for forgery tests.
 */
export async function startOtherOrigin(): Promise<OtherOrigin> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(html ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(html ?? 'not found');
  });
  // Every interface (IPv4 and IPv6), so both `localhost` and 127.0.0.1 reach it.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    page: (pathname, html) => pages.set(pathname, html),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
