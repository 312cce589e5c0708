import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { deprovisionAgent, LocalTransport, provisionAgent, stopAgent } from '../src/index';
import { exportToBuffer, importBuffer, largeLazyStream, lastJson, sha256 } from './support/data-streams';

/**
 * export-data and import-data, process runtime, between two "hosts": two local transports with state
 * directories of their own, as the worker's move uses them (streamed stdout into streamed stdin).
 */
const root = mkdtempSync(path.join(tmpdir(), 'ps-data-'));
const hostEnv = (name: string) => ({
  AGENT_RUNTIME: 'process',
  AGENT_STATE_DIR: path.join(root, name),
  AGENT_LOCK_DIR: path.join(root, name, '.locks'),
});
const source = new LocalTransport({ env: hostEnv('source') });
const target = new LocalTransport({ env: hostEnv('target') });
const input = (username: string) => ({
  username,
  agentId: `id-${username}`,
  cpus: 1,
  memoryMb: 128,
  domain: 'localhost',
});
const dataFile = (host: string, username: string, file: string) =>
  path.join(root, host, username, 'data', file);

afterAll(async () => {
  for (const username of ['gina', 'hugo', 'ines'])
    for (const transport of [source, target])
      await deprovisionAgent(transport, username).catch(() => undefined);
  await source.close();
  await target.close();
  rmSync(root, { recursive: true, force: true });
});

describe('export-data and import-data, process runtime', () => {
  it("refuses to export a running agent, then carries a stopped one's data to the other host", async () => {
    await provisionAgent(source, input('gina'));
    writeFileSync(dataFile('source', 'gina', 'notes.txt'), 'remember the milk\n');
    mkdirSync(path.dirname(dataFile('source', 'gina', 'deep/er/file')), { recursive: true });
    writeFileSync(dataFile('source', 'gina', 'deep/er/file'), 'nested');

    const running = await exportToBuffer(source, 'gina');
    expect(running.code).toBe(11);
    expect(lastJson(running.stderr)).toMatchObject({ ok: false, error: { code: 'agent_running' } });
    expect(running.data.length).toBe(0);

    await stopAgent(source, 'gina');
    const exported = await exportToBuffer(source, 'gina');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.data.length).toBeGreaterThan(0);

    const imported = await importBuffer(target, 'gina', exported.data);
    expect(imported.code, imported.stderr).toBe(0);
    expect(lastJson(imported.stdout)).toEqual({
      ok: true,
      action: 'import-data',
      runtime: 'process',
      username: 'gina',
      bytes: exported.data.length,
      sha256: sha256(exported.data),
    });
    expect(readFileSync(dataFile('target', 'gina', 'notes.txt'), 'utf8')).toBe('remember the milk\n');
    expect(readFileSync(dataFile('target', 'gina', 'deep/er/file'), 'utf8')).toBe('nested');

    // Provisioned there, the agent starts on the imported data.
    const provisioned = await provisionAgent(target, input('gina'));
    expect(provisioned).toMatchObject({ state: 'running' });
    expect(readFileSync(dataFile('target', 'gina', 'notes.txt'), 'utf8')).toBe('remember the milk\n');

    // A second import replaces the first: files the new archive lacks are gone, and it stopped the agent.
    writeFileSync(dataFile('target', 'gina', 'stray.txt'), 'only on the target');
    const again = await importBuffer(target, 'gina', exported.data);
    expect(again.code, again.stderr).toBe(0);
    expect(() => readFileSync(dataFile('target', 'gina', 'stray.txt'))).toThrow();
    expect(readFileSync(dataFile('target', 'gina', 'notes.txt'), 'utf8')).toBe('remember the milk\n');
  });

  it('refuses data whose checksum differs, and keeps what was there', async () => {
    await provisionAgent(source, input('hugo'));
    writeFileSync(dataFile('source', 'hugo', 'a.txt'), 'first');
    await stopAgent(source, 'hugo');
    const first = await exportToBuffer(source, 'hugo');
    expect((await importBuffer(target, 'hugo', first.data)).code).toBe(0);

    writeFileSync(dataFile('source', 'hugo', 'a.txt'), 'second');
    const second = await exportToBuffer(source, 'hugo');
    const refused = await importBuffer(target, 'hugo', second.data, { sha256: sha256(first.data) });
    expect(refused.code).toBe(13);
    expect(lastJson(refused.stdout)).toMatchObject({
      ok: false,
      error: { code: 'checksum_mismatch', transient: true },
    });
    expect(readFileSync(dataFile('target', 'hugo', 'a.txt'), 'utf8')).toBe('first');
  });

  it('refuses more than max-bytes without reading the rest of the stream', async () => {
    // 64 MiB offered, 1 MiB allowed: the script stops reading past the limit; a source that had to be
    // read to its end would take the whole 64 MiB through the pipe.
    const endless = largeLazyStream();
    const result = await target.stream('import-data', ['ines', '0'.repeat(64), String(1024 * 1024), ''], {
      stdin: endless.stream,
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(12);
    expect(lastJson(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'too_large', transient: false },
    });
    expect(endless.offered()).toBeLessThan(16 * 1024 * 1024);
  });

  it('streams a large archive from export straight into import, with backpressure', async () => {
    await provisionAgent(source, input('ines'));
    const big = randomBytes(24 * 1024 * 1024);
    writeFileSync(dataFile('source', 'ines', 'big.bin'), big);
    await stopAgent(source, 'ines');
    // First pass: the checksum (the worker's move learns it the same way before importing).
    const measured = await exportToBuffer(source, 'ines');
    const pipe = new PassThrough({ highWaterMark: 64 * 1024 });
    const importing = target.stream(
      'import-data',
      ['ines', sha256(measured.data), String(measured.data.length), ''],
      { stdin: pipe, timeoutMs: 60_000 },
    );
    const exporting = source.stream('export-data', ['ines'], { stdout: pipe, timeoutMs: 60_000 });
    const exported = await exporting;
    pipe.end();
    const imported = await importing;
    expect(exported.code, exported.stderr).toBe(0);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(sha256(readFileSync(dataFile('target', 'ines', 'big.bin')))).toBe(sha256(big));
  });

  it('validates the arguments again', async () => {
    const bad = await target.stream('import-data', ['ines', 'not-a-sha', '100', ''], { timeoutMs: 10_000 });
    expect(bad.code).toBe(4);
    const name = await source.stream('export-data', ['../etc'], {
      stdout: new PassThrough(),
      timeoutMs: 10_000,
    });
    expect(name.code).toBe(3);
    expect(lastJson(name.stderr)).toMatchObject({ ok: false, error: { code: 'invalid_username' } });
  });
});
