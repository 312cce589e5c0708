import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface TlsFiles {
  dir: string;
  certPath: string;
  keyPath: string;
}

/** A throwaway certificate for 127.0.0.1, valid for a day, made with the system's openssl. */
export async function createSelfSignedCertificate(): Promise<TlsFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pocket-smyth-graph-tls-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { dir, certPath, keyPath };
}

export async function readTlsFiles(files: Pick<TlsFiles, 'certPath' | 'keyPath'>) {
  return { cert: await readFile(files.certPath), key: await readFile(files.keyPath) };
}
