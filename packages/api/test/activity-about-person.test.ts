/**
 * A person's activity (their own, and the admin's view on their page) covers what happened to them and
 * to what is theirs: their agent (restart, public URL), its runs (an admin's retry) and their API tokens,
 * and nothing of anybody else's, though those events name the agent, run or token rather than the person.
 */

import type { Person } from '@pocket-smyth/core';
import { agents, runs, timeOrderedId } from '@pocket-smyth/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createWorld, makePerson, type World } from './helpers';

let world: World;
let ada: Person;
let bob: Person;

/** As the worker leaves an agent after a good provision, so a restart is allowed. */
async function markRunning(personId: string): Promise<string> {
  const [agent] = await world.db
    .update(agents)
    .set({ observedState: 'running' })
    .where(eq(agents.userId, personId))
    .returning({ id: agents.id, username: agents.username });
  return agent!.id;
}

/** Everything a person can do to what is theirs, and an admin's retry of their agent's failed run. */
async function busyDay(person: Person): Promise<void> {
  const agentId = await markRunning(person.id);
  const own = callerFor(world.db, person);
  await own.agent.restart();
  await own.agent.setPublic({ enabled: true });
  await own.tokens.create({ name: 'laptop', scopes: ['me:read'] });
  const runId = timeOrderedId();
  await world.db.insert(runs).values({
    id: runId,
    agentId,
    username: person.username!,
    kind: 'restart',
    status: 'failed',
    errorClass: 'timeout',
    errorMessage: 'no answer in 60 s',
  });
  await callerFor(world.db, world.founder).admin.runs.retry({ id: runId });
}

beforeAll(async () => {
  world = await createWorld();
  ada = await makePerson(world.db, 'active');
  bob = await makePerson(world.db, 'active');
  await busyDay(ada);
  await busyDay(bob);
});
afterAll(() => world.cleanup());

/** Sorted: events in one millisecond have no defined order among themselves. */
const theirDay = [
  'run.retry_requested',
  'token.created',
  'agent.public_enabled',
  'agent.restart_requested',
  'person.approved',
  'person.onboarded',
  'person.signed_up',
].sort();
const actionsOf = (items: { action: string }[]) => items.map((e) => e.action).sort();

describe('activity about a person', () => {
  it('is what the person sees as their own activity: their account, agent, runs and tokens', async () => {
    const { items } = await callerFor(world.db, ada).user.activity({});
    expect(actionsOf(items)).toEqual(theirDay);
    const otherPeoplesThings = new Set(
      (await callerFor(world.db, bob).user.activity({})).items.map((e) => e.targetId),
    );
    for (const event of items) expect(otherPeoplesThings.has(event.targetId)).toBe(false);
  });

  it('is what an admin sees on the person’s page, and a filter of the activity log and its export', async () => {
    const admin = callerFor(world.db, world.founder);
    const listed = await admin.admin.activity.list({ aboutPerson: bob.id });
    expect(actionsOf(listed.items)).toEqual(theirDay);
    let csv = '';
    for await (const chunk of (await admin.admin.activity.export({ aboutPerson: bob.id })).lines)
      csv += chunk;
    // Header, one row per event, and the closing CRLF.
    expect(csv.split('\r\n')).toHaveLength(1 + theirDay.length + 1);
  });

  it('finds nothing for someone unknown', async () => {
    const listed = await callerFor(world.db, world.founder).admin.activity.list({ aboutPerson: 'nobody' });
    expect(listed.items).toEqual([]);
  });
});
