import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readTlsFiles } from './self-signed-certificate';

/** What the fake received, kept so a test can assert the exact request. */
export interface ReceivedRequest {
  route: 'token' | 'graph';
  method: string;
  /** Path and query as sent, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the fake answers the next request on a route: a reply, or a dropped connection. */
export type FakeReply =
  | { status: number; json?: unknown; headers?: OutgoingHttpHeaders }
  | { dropConnection: true };

export const defaultTokenReply = (accessToken = 'graph-token-1', expiresIn = 3599): FakeReply => ({
  status: 200,
  json: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken },
});

/**
 * A stand-in for both the Microsoft identity platform token endpoint (`POST /{tenant}/oauth2/v2.0/token`)
 * and Microsoft Graph (`/v1.0/...`) on https://127.0.0.1, using the certificate made in global setup.
 * Each route answers with the replies the test queued, in order; the token route falls back to a valid
 * token, and an unexpected Graph call gets 418 so it fails loudly.
 */
export async function startFakeGraphServer() {
  const received: ReceivedRequest[] = [];
  const replies: Record<ReceivedRequest['route'], FakeReply[]> = { token: [], graph: [] };
  const tls = await readTlsFiles({
    certPath: process.env.FAKE_GRAPH_TLS_CERT ?? '',
    keyPath: process.env.FAKE_GRAPH_TLS_KEY ?? '',
  });
  const server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      const route = /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url) ? 'token' : 'graph';
      received.push({
        route,
        method: req.method ?? '',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply =
        replies[route].shift() ??
        (route === 'token'
          ? defaultTokenReply()
          : { status: 418, json: { error: { code: 'unexpected_request', message: 'no reply queued' } } });
      if ('dropConnection' in reply) {
        req.socket.destroy();
        return;
      }
      const json = reply.json === undefined ? undefined : JSON.stringify(reply.json);
      res.writeHead(reply.status, {
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...reply.headers,
      });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    received,
    replyToToken(...next: FakeReply[]) {
      replies.token.push(...next);
    },
    replyToGraph(...next: FakeReply[]) {
      replies.graph.push(...next);
    },
    reset() {
      received.length = 0;
      replies.token.length = 0;
      replies.graph.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type FakeGraphServer = Awaited<ReturnType<typeof startFakeGraphServer>>;
