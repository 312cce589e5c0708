/**
 * Agents' environment variables (agent-env.ts): names and values checked with the rule in the message,
 * values sealed with AGENT_SECRETS_KEY (bound to person and name) and shown back as their last four
 * characters only, audited by name without the value, a running agent provisioned again after each
 * change, and one person's variables out of another's reach (404).
 */
import { agentEnvVars, agents, auditEvents } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { generateEncryptionKey } from '@pocket-smyth/hosts/sealed-secret';
import type { JobRequest } from '@pocket-smyth/jobs/contract';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_ENV_MAX_VARS,
  AppError,
  agentEnvLast4,
  approvePeople,
  type ChangeDeps,
  completeOnboarding,
  deleteAgentEnv,
  deletePerson,
  listAgentEnv,
  openAgentEnvValue,
  type Person,
  parseAgentSecretsKey,
  registerPerson,
  setAgentEnv,
} from '../src/index';

let handle: Awaited<ReturnType<typeof createTestDb>>;
let ada: Person;
let bob: Person;
let deps: ChangeDeps;
let enqueued: JobRequest[];
const key = generateEncryptionKey();
const secret = `sk-core-${crypto.randomUUID()}`;

async function activePerson(name: string): Promise<Person> {
  const person = await registerPerson(handle.db, { email: `${name}@example.com` }, { adminEmails: [] });
  await completeOnboarding(handle.db, deps, person.id, { username: name });
  await approvePeople(handle.db, deps, [person.id]);
  return person;
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeEach(async () => {
  handle = await createTestDb();
  enqueued = [];
  deps = {
    actor: { kind: 'system', id: null, label: 'system', personId: null },
    requestId: 'req-env',
    ip: null,
    enqueue: async (jobs) => {
      enqueued.push(...jobs);
    },
  };
  ada = await activePerson('ada');
  bob = await activePerson('bob');
  enqueued = [];
});
afterEach(() => handle.cleanup());

const own = (person: Person) => ({ personId: person.id, own: true });

describe('agent environment variables', () => {
  it('stores the value sealed, shows its last four only, and opens with the key for its own row', async () => {
    const change = await setAgentEnv(
      handle.db,
      deps,
      own(ada),
      { name: 'OPENAI_API_KEY', value: secret },
      key,
    );
    expect(change.variable).toMatchObject({ name: 'OPENAI_API_KEY', last4: secret.slice(-4) });
    const [row] = await handle.db.select().from(agentEnvVars);
    expect(row!.valueSealed.startsWith('v1.')).toBe(true);
    expect(row!.valueSealed).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
    const parsed = parseAgentSecretsKey(key)!;
    expect(openAgentEnvValue(row!.valueSealed, parsed, ada.id, 'OPENAI_API_KEY')).toBe(secret);
    // Bound to its person and name: moved elsewhere, it does not open.
    expect(() => openAgentEnvValue(row!.valueSealed, parsed, bob.id, 'OPENAI_API_KEY')).toThrow();
    expect(() => openAgentEnvValue(row!.valueSealed, parsed, ada.id, 'OTHER')).toThrow();

    const listed = await listAgentEnv(handle.db, own(ada));
    expect(listed).toEqual([
      { name: 'OPENAI_API_KEY', last4: secret.slice(-4), updatedAt: expect.any(Date) },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(0, -4));
  });

  it('last four: none for a short value, characters (not bytes) otherwise', () => {
    expect(agentEnvLast4('short12')).toBe('');
    expect(agentEnvLast4('12345678')).toBe('5678');
    expect(agentEnvLast4('abcdefgh€😀xy')).toBe('€😀xy');
  });

  it('refuses bad names, reserved names and bad values with the rule, storing nothing', async () => {
    for (const [name, rule] of [
      ['lower', /A–Z, 0–9 and _/],
      ['9LEADING', /not starting with a digit/],
      ['A'.repeat(65), /1–64 characters/],
      ['WITH-DASH', /A–Z/],
      ['PATH', /PATH is reserved/],
      ['HOME', /reserved/],
      ['PORT', /reserved/],
      ['NODE_OPTIONS', /reserved/],
      ['AGENT_RUNTIME', /starting with AGENT_ are reserved/],
      ['POCKET_SMYTH_X', /POCKET_SMYTH_/],
      ['LD_PRELOAD', /LD_/],
    ] as const) {
      const error = await appError(
        setAgentEnv(handle.db, deps, own(ada), { name, value: 'some-value' }, key),
      );
      expect(error.code, name).toBe('BAD_REQUEST');
      expect(error.message, name).toMatch(rule);
    }
    for (const [value, rule] of [
      ['', /empty/],
      ['x'.repeat(8 * 1024 + 1), /8192 bytes/],
      ['é'.repeat(4097), /8192 bytes/],
      ['line\nbreak', /line breaks/],
      ['carriage\rreturn', /line breaks/],
      ['nul\0byte', /NUL/],
    ] as const) {
      const error = await appError(setAgentEnv(handle.db, deps, own(ada), { name: 'GOOD', value }, key));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(rule);
    }
    // 8 kB exactly is fine.
    await setAgentEnv(handle.db, deps, own(ada), { name: 'BIG', value: 'x'.repeat(8 * 1024) }, key);
    expect((await listAgentEnv(handle.db, own(ada))).map((v) => v.name)).toEqual(['BIG']);
  });

  it('without AGENT_SECRETS_KEY nothing can be set: a 409 that says why', async () => {
    const error = await appError(
      setAgentEnv(handle.db, deps, own(ada), { name: 'KEY', value: secret }, null),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/AGENT_SECRETS_KEY/);
    expect(await handle.db.select().from(agentEnvVars)).toEqual([]);
  });

  it('audits set, replace and delete by name, never the value; provisions a running agent again after each', async () => {
    await setAgentEnv(handle.db, deps, own(ada), { name: 'OPENAI_API_KEY', value: secret }, key);
    await setAgentEnv(handle.db, deps, own(ada), { name: 'OPENAI_API_KEY', value: `${secret}-2` }, key);
    expect(await deleteAgentEnv(handle.db, deps, own(ada), 'OPENAI_API_KEY')).toEqual({ restarting: true });

    const audit = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, ada.id));
    const envEvents = audit.filter((e) => e.action.startsWith('agent.env_'));
    expect(envEvents.map((e) => [e.action, e.after ?? e.before])).toEqual([
      ['agent.env_set', { name: 'OPENAI_API_KEY', replaced: false }],
      ['agent.env_set', { name: 'OPENAI_API_KEY', replaced: true }],
      ['agent.env_deleted', { name: 'OPENAI_API_KEY' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(secret);

    const [agent] = await handle.db.select().from(agents).where(eq(agents.userId, ada.id));
    // Recorded with the change, for the reconciler should the enqueue be lost.
    expect(agent!.envChangedAt).toBeInstanceOf(Date);
    expect(enqueued).toHaveLength(3);
    for (const job of enqueued) {
      expect(job).toMatchObject({ name: 'agent.provision', key: `agent:provision:${agent!.id}` });
      expect(JSON.stringify(job)).not.toContain(secret);
    }
  });

  it('a stopped agent is not provisioned now: it gets the variables with its next start', async () => {
    await handle.db.update(agents).set({ desiredState: 'stopped' }).where(eq(agents.userId, ada.id));
    const change = await setAgentEnv(handle.db, deps, own(ada), { name: 'KEY', value: secret }, key);
    expect(change.restarting).toBe(false);
    expect(enqueued).toEqual([]);
  });

  it('one person’s variables are out of another’s reach: 404, and lists are their own', async () => {
    await setAgentEnv(handle.db, deps, own(bob), { name: 'BOB_KEY', value: secret }, key);
    expect(await listAgentEnv(handle.db, own(ada))).toEqual([]);
    // Ada deleting a name only Bob has: not found (her own rows are all she can touch).
    expect((await appError(deleteAgentEnv(handle.db, deps, own(ada), 'BOB_KEY'))).code).toBe('NOT_FOUND');
    expect(await listAgentEnv(handle.db, own(bob))).toHaveLength(1);
    // An admin naming nobody: 404.
    const nobody = { personId: 'no-such-person', own: false };
    expect((await appError(listAgentEnv(handle.db, nobody))).code).toBe('NOT_FOUND');
    expect(
      (await appError(setAgentEnv(handle.db, deps, nobody, { name: 'K', value: 'value-long' }, key))).code,
    ).toBe('NOT_FOUND');
  });

  it(`holds at most ${AGENT_ENV_MAX_VARS} variables; replacing one at the limit still works`, async () => {
    const sealedRows = Array.from({ length: AGENT_ENV_MAX_VARS }, (_, i) => ({
      userId: ada.id,
      name: `VAR_${i}`,
      valueSealed: 'v1.placeholder',
      last4: '',
    }));
    await handle.db.insert(agentEnvVars).values(sealedRows);
    const error = await appError(
      setAgentEnv(handle.db, deps, own(ada), { name: 'ONE_MORE', value: secret }, key),
    );
    expect(error.code).toBe('CONFLICT');
    await setAgentEnv(handle.db, deps, own(ada), { name: 'VAR_0', value: secret }, key);
  });

  it('goes with the person', async () => {
    await setAgentEnv(handle.db, deps, own(ada), { name: 'KEY', value: secret }, key);
    await deletePerson(handle.db, deps, ada.id, 'ada');
    expect(await handle.db.select().from(agentEnvVars)).toEqual([]);
  });
});
