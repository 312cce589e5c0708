import { agentEnvSealContext, agentEnvVars, agents, users } from '@pocket-smyth/db';
import { generateEncryptionKey, parseKeySetting, seal } from '@pocket-smyth/hosts/sealed-secret';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentEnv } from '../src/agents/agent-env';
import type { AgentRow, JobDeps } from '../src/deps';
import { PermanentJobError } from '../src/errors';
import { createTestDb, type TestDb } from './helpers';

/**
 * The worker opens an agent's variables for its provision: with the key they were sealed with only.
 * Without AGENT_SECRETS_KEY, or with another, the run fails for good (`secrets_key_missing`), saying so
 * without the value.
 */
describe('opening an agent’s environment variables', () => {
  let testDb: TestDb;
  let agent: AgentRow;
  const key = parseKeySetting(generateEncryptionKey(), 'AGENT_SECRETS_KEY');
  const secret = `sk-jobs-${crypto.randomUUID()}`;
  const depsWith = (agentSecretsKey: Buffer | null) =>
    ({ db: testDb.db, agentSecretsKey }) as unknown as JobDeps;

  beforeAll(async () => {
    testDb = await createTestDb();
    const [ada, bob] = await testDb.db
      .insert(users)
      .values([
        { email: 'ada@example.com', username: 'ada', status: 'active' },
        { email: 'bob@example.com', username: 'bob', status: 'active' },
      ])
      .returning({ id: users.id });
    [agent] = (await testDb.db
      .insert(agents)
      .values({ userId: ada!.id, username: 'ada', desiredState: 'running' })
      .returning()) as [AgentRow];
    await testDb.db.insert(agentEnvVars).values([
      {
        userId: ada!.id,
        name: 'OPENAI_API_KEY',
        valueSealed: seal(secret, key, agentEnvSealContext(ada!.id, 'OPENAI_API_KEY')),
        last4: secret.slice(-4),
      },
      // Bob's own, which Ada's agent must never get.
      {
        userId: bob!.id,
        name: 'BOB_ONLY',
        valueSealed: seal('bob', key, agentEnvSealContext(bob!.id, 'BOB_ONLY')),
        last4: '',
      },
    ]);
  });
  afterAll(() => testDb?.cleanup());

  it('opens the owner’s variables, and only theirs, with the right key', async () => {
    expect(await openAgentEnv(depsWith(key), agent)).toEqual([{ name: 'OPENAI_API_KEY', value: secret }]);
  });

  it('fails for good without the key or with another one, never naming the value', async () => {
    const other = parseKeySetting(generateEncryptionKey(), 'AGENT_SECRETS_KEY');
    for (const [deps, message] of [
      [depsWith(null), /no AGENT_SECRETS_KEY/],
      [depsWith(other), /OPENAI_API_KEY cannot be decrypted/],
    ] as const) {
      const error = await openAgentEnv(deps, agent).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentJobError);
      expect(error).toMatchObject({ errorClass: 'secrets_key_missing', transient: false });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('a value moved into another person’s row does not open', async () => {
    const [ada] = await testDb.db.select().from(agentEnvVars);
    const carol = { ...agent, userId: 'carol-id' };
    await testDb.db
      .insert(users)
      .values({ id: 'carol-id', email: 'c@example.com', username: 'carol', status: 'active' });
    await testDb.db.insert(agentEnvVars).values({ ...ada!, userId: 'carol-id' });
    await expect(openAgentEnv(depsWith(key), carol)).rejects.toMatchObject({
      errorClass: 'secrets_key_missing',
    });
  });

  it('an agent without variables needs no key', async () => {
    expect(await openAgentEnv(depsWith(null), { ...agent, userId: null })).toEqual([]);
  });
});
