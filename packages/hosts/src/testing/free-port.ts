import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick, never 5432). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const picked = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(picked));
      });
    });
    if (port !== 5432) return port;
  }
}
