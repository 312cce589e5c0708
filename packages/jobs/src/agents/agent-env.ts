import { agentEnvSealContext, agentEnvVars } from '@pocket-smyth/db';
import type { AgentEnvVar } from '@pocket-smyth/hosts/agent-env-file';
import { open } from '@pocket-smyth/hosts/sealed-secret';
import { asc, eq } from 'drizzle-orm';
import type { AgentRow, JobDeps } from '../deps';
import { PermanentJobError } from '../errors';

/**
 * The agent's environment variables, opened for delivery (docs/ARCHITECTURE.md, "Agent secrets"). An
 * agent that has some cannot be provisioned without AGENT_SECRETS_KEY, or with another key than the one
 * they were sealed with: that fails for good (`secrets_key_missing`) rather than start the agent without
 * them. The messages name counts and variable names, never a value.
 */
export async function openAgentEnv(deps: JobDeps, agent: AgentRow): Promise<AgentEnvVar[]> {
  if (!agent.userId) return [];
  const rows = await deps.db
    .select({ name: agentEnvVars.name, valueSealed: agentEnvVars.valueSealed })
    .from(agentEnvVars)
    .where(eq(agentEnvVars.userId, agent.userId))
    .orderBy(asc(agentEnvVars.name));
  if (rows.length === 0) return [];
  const key = deps.agentSecretsKey;
  if (!key) {
    throw new PermanentJobError(
      'secrets_key_missing',
      `The agent has ${rows.length} environment variable(s) and the worker has no AGENT_SECRETS_KEY to decrypt them`,
    );
  }
  const userId = agent.userId;
  return rows.map(({ name, valueSealed }) => {
    try {
      return { name, value: open(valueSealed, key, agentEnvSealContext(userId, name)) };
    } catch {
      throw new PermanentJobError(
        'secrets_key_missing',
        `The environment variable ${name} cannot be decrypted with the worker's AGENT_SECRETS_KEY (not the key it was stored with)`,
      );
    }
  });
}
