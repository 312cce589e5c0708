/**
 * Who sees what of a failed run: the person gets words (the error class in plain language), never the
 * raw detail (addresses, paths, errno codes, script output); admins get all of it, to fix the host.
 */
import { agents, runSteps, runs, timeOrderedId } from '@pocket-smyth/db';
import { errorClassInWords } from '@pocket-smyth/db/run-errors';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentRowByPerson, callerFor, createWorld, makePerson, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.cleanup());

const rawMessage =
  "root@127.0.0.1:1: cannot load the private key: ENOENT: no such file or directory, open '/nonexistent/id_ed25519'";
const rawTail = 'connecting to root@127.0.0.1:1\nreading /nonexistent/id_ed25519';
const leaks = ['127.0.0.1', '/nonexistent', 'ENOENT', 'root@'];

/** A provision run as the worker leaves it when the host's key file is missing. */
async function failedRun(agentId: string, username: string, status: 'failed' | 'running'): Promise<string> {
  const id = timeOrderedId();
  await world.db.insert(runs).values({
    id,
    agentId,
    username,
    kind: 'provision',
    status,
    errorClass: 'host_misconfigured',
    errorMessage: status === 'failed' ? rawMessage : `${rawMessage} (attempt 2 of 10; will retry)`,
    startedAt: new Date(),
    endedAt: status === 'failed' ? new Date() : null,
  });
  await world.db.insert(runSteps).values([
    { runId: id, position: 0, name: 'place on host', status: 'succeeded', outputTail: 'placed on ssh-one' },
    {
      runId: id,
      position: 1,
      name: 'run provision script',
      status: 'failed',
      errorClass: 'host_misconfigured',
      message: rawMessage,
      outputTail: rawTail,
    },
    { runId: id, position: 2, name: 'update identity provider', status: 'skipped', message: 'Not needed' },
  ]);
  return id;
}

describe('a failed run, as the person and as an admin see it', () => {
  it('runs.mine and runs.get give the person words, without addresses, paths or output', async () => {
    const person = await makePerson(world.db, 'active');
    const agent = (await agentRowByPerson(world.db, person.id))!;
    const runId = await failedRun(agent.id, person.username!, 'failed');
    const caller = callerFor(world.db, person);

    const [mine] = await caller.runs.mine({});
    const one = await caller.runs.get({ id: runId });
    for (const run of [mine!, one]) {
      const text = JSON.stringify(run);
      for (const leak of leaks) expect(text).not.toContain(leak);
      expect(run.errorClass).toBe('host_misconfigured');
      expect(run.errorMessage).toBe(errorClassInWords.host_misconfigured);
      const failed = run.steps.find((s) => s.status === 'failed')!;
      expect(failed).toMatchObject({ errorClass: 'host_misconfigured', message: null, outputTail: '' });
      // What the portal itself wrote stays: a skipped step's reason.
      expect(run.steps.find((s) => s.status === 'skipped')?.message).toBe('Not needed');
    }
  });

  it('keeps the retry note of a run that will try again, in words', async () => {
    const person = await makePerson(world.db, 'active');
    const agent = (await agentRowByPerson(world.db, person.id))!;
    await failedRun(agent.id, person.username!, 'running');
    const [run] = await callerFor(world.db, person).runs.mine({});
    expect(run?.errorMessage).toBe(`${errorClassInWords.host_misconfigured} (attempt 2 of 10; will retry)`);
  });

  it('admin.runs.get and admin.runs.list give admins the detail: message and output', async () => {
    const person = await makePerson(world.db, 'active');
    const agent = (await agentRowByPerson(world.db, person.id))!;
    const runId = await failedRun(agent.id, person.username!, 'failed');
    const admin = callerFor(world.db, await makePerson(world.db, 'admin'));

    const one = await admin.admin.runs.get({ id: runId });
    const [listed] = await admin.admin.runs.list({ agentId: agent.id });
    for (const run of [one, listed!]) {
      expect(run.errorMessage).toBe(rawMessage);
      const failed = run.steps.find((s) => s.status === 'failed')!;
      expect(failed).toMatchObject({ message: rawMessage, outputTail: rawTail });
    }
    // The person's agent row is unchanged by either read.
    const [row] = await world.db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row?.id).toBe(agent.id);
  });
});
