import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { HostTransport } from '../../src/index';

/** export-data's stdout as one buffer (small test data only), and its exit status. */
export async function exportToBuffer(
  transport: HostTransport,
  username: string,
): Promise<{ code: number; stderr: string; data: Buffer }> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await transport.stream('export-data', [username], { stdout: sink, timeoutMs: 60_000 });
  return { code: result.code, stderr: result.stderr, data: Buffer.concat(chunks) };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** import-data with `data` on its stdin. */
export function importBuffer(
  transport: HostTransport,
  username: string,
  data: Buffer,
  options: { sha256?: string; maxBytes?: number; image?: string } = {},
) {
  return transport.stream(
    'import-data',
    [
      username,
      options.sha256 ?? sha256(data),
      String(options.maxBytes ?? 1024 * 1024 * 1024),
      options.image ?? '',
    ],
    { stdin: Readable.from([data]), timeoutMs: 60_000 },
  );
}

/** The last JSON line of a script's output (export-data's error object is followed by a human line). */
export function lastJson(text: string): Record<string, unknown> {
  const line = text
    .trim()
    .split('\n')
    .findLast((candidate) => candidate.startsWith('{'));
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

/**
 * 64 MiB of random bytes, made lazily, 64 KiB at a time: `offered()` says how much the reader pulled,
 * so a test sees that a script stopped reading rather than draining the whole stream.
 */
export function largeLazyStream(): { stream: Readable; offered(): number } {
  let offered = 0;
  const chunk = randomBytes(64 * 1024);
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < 1024; i++) {
        offered += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, offered: () => offered };
}
