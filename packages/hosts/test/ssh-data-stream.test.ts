import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprovisionAgent, provisionAgent, SshTransport, stopAgent } from '../src/index';
import { startTestSshd, type TestSshd } from '../src/testing/index';
import { exportToBuffer, largeLazyStream, lastJson, sha256 } from './support/data-streams';

/**
 * The data scripts over a real SSH server on loopback (OpenSSH's sshd when installed, else ssh2's):
 * export-data's stdout and import-data's stdin on the channel, between two "hosts" (one server, two
 * state directories), process runtime.
 */
let sshd: TestSshd;
let root: string;
const transports: SshTransport[] = [];

const open = (name: string) => {
  const transport = new SshTransport({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    privateKey: { kind: 'file', path: sshd.clientKeyPath },
    hostKeyFingerprint: sshd.hostKeyFingerprint,
    remoteScriptsRoot: path.join(root, 'remote-scripts'),
    env: {
      AGENT_RUNTIME: 'process',
      AGENT_NODE: process.execPath,
      AGENT_STATE_DIR: path.join(root, name),
      AGENT_LOCK_DIR: path.join(root, name, '.locks'),
    },
  });
  transports.push(transport);
  return transport;
};

beforeAll(async () => {
  sshd = await startTestSshd();
  root = mkdtempSync(path.join(tmpdir(), 'ps-ssh-data-'));
}, 60_000);
afterAll(async () => {
  for (const transport of transports) await deprovisionAgent(transport, 'kim').catch(() => undefined);
  await Promise.all(transports.map((t) => t.close()));
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('data scripts over ssh', () => {
  it('streams export-data into import-data on another host; refuses too much without reading it all', async () => {
    const source = open('source');
    const target = open('target');
    await provisionAgent(source, {
      username: 'kim',
      agentId: 'k1',
      cpus: 1,
      memoryMb: 96,
      domain: 'localhost',
    });
    const big = randomBytes(8 * 1024 * 1024);
    writeFileSync(path.join(root, 'source', 'kim', 'data', 'big.bin'), big);
    await stopAgent(source, 'kim');

    const measured = await exportToBuffer(source, 'kim');
    expect(measured.code, measured.stderr).toBe(0);
    const pipe = new PassThrough({ highWaterMark: 64 * 1024 });
    const importing = target.stream(
      'import-data',
      ['kim', sha256(measured.data), String(measured.data.length), ''],
      {
        stdin: pipe,
        timeoutMs: 60_000,
      },
    );
    const exported = await source.stream('export-data', ['kim'], { stdout: pipe, timeoutMs: 60_000 });
    pipe.end();
    const imported = await importing;
    expect(exported.code, exported.stderr).toBe(0);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(lastJson(imported.stdout)).toMatchObject({ ok: true, bytes: measured.data.length });
    expect(sha256(readFileSync(path.join(root, 'target', 'kim', 'data', 'big.bin')))).toBe(sha256(big));

    const endless = largeLazyStream();
    const refused = await target.stream('import-data', ['kim', '0'.repeat(64), String(1024 * 1024), ''], {
      stdin: endless.stream,
      timeoutMs: 60_000,
    });
    expect(refused.code).toBe(12);
    expect(lastJson(refused.stdout)).toMatchObject({ error: { code: 'too_large' } });
    expect(endless.offered()).toBeLessThan(32 * 1024 * 1024);
    // The earlier import is still there.
    expect(sha256(readFileSync(path.join(root, 'target', 'kim', 'data', 'big.bin')))).toBe(sha256(big));
  }, 120_000);
});
