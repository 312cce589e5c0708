import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSelfSignedCertificate } from './self-signed-certificate';

/**
 * The fake Graph server speaks https (the Graph client sends no token over http), so the test workers
 * must trust its certificate. Node reads NODE_EXTRA_CA_CERTS only at start-up; setting it here, before
 * any worker exists, works because the forks pool starts each worker with this process's environment.
 */
export default async function setup() {
  const tls = await createSelfSignedCertificate();
  // Keep whatever extra CAs the developer already trusts (a corporate proxy, say) next to ours.
  const existing = process.env.NODE_EXTRA_CA_CERTS
    ? await readFile(process.env.NODE_EXTRA_CA_CERTS, 'utf8').catch(() => '')
    : '';
  const bundlePath = path.join(tls.dir, 'extra-ca-bundle.pem');
  await writeFile(bundlePath, `${existing.trim()}\n${await readFile(tls.certPath, 'utf8')}`.trimStart());
  process.env.NODE_EXTRA_CA_CERTS = bundlePath;
  process.env.FAKE_GRAPH_TLS_CERT = tls.certPath;
  process.env.FAKE_GRAPH_TLS_KEY = tls.keyPath;
  return async () => {
    await rm(tls.dir, { recursive: true, force: true });
  };
}
