import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, reservedPort } from '../src';
import { withClient } from '../src/connection';
import { createScratchDatabase, startTestPostgres, type TestPostgres } from '../src/testing';

describe('startTestPostgres', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers on a loopback port other than 5432', async () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).not.toBe(reservedPort);
    expect(await answers(server.url)).toBe(true);
  });

  it('runs the Postgres the embedded package ships (18)', async () => {
    const version = await withClient(
      server.url,
      async (c) => (await c.query('show server_version_num')).rows[0],
    );
    expect(Number(version.server_version_num)).toBeGreaterThanOrEqual(180000);
  });

  it('creates scratch databases that are isolated and dropped', async () => {
    const a = await createScratchDatabase(server.url);
    const b = await createScratchDatabase(server.url);
    await withClient(a.url, (c) => c.query('create table only_in_a (id int)'));
    const inB = await withClient(b.url, (c) => c.query("select to_regclass('only_in_a') as t"));
    expect(inB.rows[0].t).toBeNull();
    await a.drop();
    await b.drop();
    expect(await answers(a.url)).toBe(false);
  });
});

describe('stopping a test server', () => {
  it('stops Postgres and deletes its files', async () => {
    const server = await startTestPostgres();
    const { rows } = await withClient(server.url, (c) => c.query('show data_directory'));
    const dataDirectory = rows[0].data_directory as string;
    expect(existsSync(dataDirectory)).toBe(true);
    await server.stop();
    expect(await answers(server.url)).toBe(false);
    expect(existsSync(dataDirectory)).toBe(false);
    await server.stop();
  });
});
