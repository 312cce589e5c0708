import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTransport, readHostStatus } from '../src/index';
import { createFakeDocker, type FakeDocker } from '../src/testing/index';

/**
 * The words `status` gives docker's state (lib/docker-status.awk), with the fake docker; the real
 * engine's OOM kill behind them is in scripts-real-docker.test.ts.
 */
let fake: FakeDocker;
let transport: LocalTransport;

beforeEach(() => {
  fake = createFakeDocker();
  transport = new LocalTransport({ env: fake.env });
});
afterEach(async () => {
  await transport.close();
  fake.remove();
});

describe('docker status detail', () => {
  it("is docker's word, plus an OOM kill and the restart policy's restarts in words", async () => {
    fake.seedAgentContainer('alice');
    fake.seedAgentContainer('bobby', { oomKilled: true, restartCount: 1 });
    fake.seedAgentContainer('carol', {
      running: false,
      status: 'restarting',
      oomKilled: true,
      restartCount: 3,
    });
    fake.seedAgentContainer('dave', { running: false, oomKilled: true });
    fake.seedAgentContainer('erin', { running: false, status: 'restarting', restartCount: 2 });
    fake.seedAgentContainer('fred', { running: false });

    const status = await readHostStatus(transport);
    const detail = Object.fromEntries(status.agents.map((a) => [a.username, [a.state, a.detail]]));
    expect(detail).toEqual({
      alice: ['running', 'running'],
      bobby: ['running', 'running (last exit: out of memory; 1 restart)'],
      carol: ['stopped', 'restarting (out of memory; 3 restarts)'],
      dave: ['stopped', 'exited (out of memory)'],
      erin: ['stopped', 'restarting (2 restarts)'],
      fred: ['stopped', 'exited'],
    });
  });
});
