import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake received, kept so a test can assert the exact request. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** How the fake answers the next request: a JSON reply, or a dropped connection. */
export type FakeReply = { status: number; json: unknown } | { dropConnection: true };

/**
 * A stand-in for the Resend API on 127.0.0.1. It answers requests with the replies queued by the test,
 * in order, and records every request; with no reply queued it answers 418 so a stray call fails loudly.
 */
export async function startFakeResendServer() {
  const received: ReceivedRequest[] = [];
  const replies: FakeReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : null,
      });
      const reply = replies.shift() ?? {
        status: 418,
        json: { name: 'unexpected_request', message: 'no reply queued' },
      };
      if ('dropConnection' in reply) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply(...next: FakeReply[]) {
      replies.push(...next);
    },
    reset() {
      received.length = 0;
      replies.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type FakeResendServer = Awaited<ReturnType<typeof startFakeResendServer>>;
