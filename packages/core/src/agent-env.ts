import { agentEnvSealContext, agentEnvVars, agents, type Db, type DbOrTx, users } from '@pocket-smyth/db';
import { open, parseKeySetting, seal } from '@pocket-smyth/hosts/sealed-secret';
import { type JobRequest, provisionAgent } from '@pocket-smyth/jobs/contract';
import { and, asc, count, eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import { badRequest, conflict, notFound } from './errors';
import { enqueueAfterCommit } from './jobs-after-commit';
import { type ChangeDeps, requesterOf } from './ports';

/**
 * A person's environment variables for their agent, e.g. an LLM API key (docs/ARCHITECTURE.md, "Agent
 * secrets"). The person sets their own, an admin anyone's. Values are sealed with AGENT_SECRETS_KEY
 * before they are stored, shown back only as their last four characters, and never written to the
 * activity log; a change provisions a running agent again, which delivers them to its host on the
 * provision script's stdin.
 */

export const AGENT_ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** A value's largest size in UTF-8 bytes. */
export const AGENT_ENV_VALUE_MAX_BYTES = 8 * 1024;
/** How many variables one agent may have: bounds what a provision carries to the host. */
export const AGENT_ENV_MAX_VARS = 50;
/** Values shorter than this show no characters at all: four of six would give most of it away. */
const LAST4_MIN_LENGTH = 8;

// The runtime's and the host scripts' own names (infra/host/lib/agent-env.sh refuses the same).
const reservedNames = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'HOSTNAME',
  'PWD',
  'OLDPWD',
  'TMPDIR',
  'TERM',
  'IFS',
  'ENV',
  'PS4',
  'SHELLOPTS',
  'BASHOPTS',
  'PORT',
  'NODE_OPTIONS',
  'NODE_PATH',
]);
const reservedPrefixes = ['AGENT_', 'POCKET_SMYTH_', 'LD_', 'BASH_', 'DOCKER_'];

/** Why a name cannot be an agent's variable, or null when it can. */
export function agentEnvNameProblem(name: string): string | null {
  if (!AGENT_ENV_NAME_PATTERN.test(name)) {
    return 'A name is 1–64 characters of A–Z, 0–9 and _, not starting with a digit.';
  }
  if (reservedNames.has(name)) return `${name} is reserved: the agent’s runtime sets it.`;
  const prefix = reservedPrefixes.find((p) => name.startsWith(p));
  if (prefix) return `Names starting with ${prefix} are reserved for the agent’s runtime.`;
  return null;
}

/** Why a value cannot be stored, or null when it can. */
export function agentEnvValueProblem(value: string): string | null {
  if (value.length === 0) return 'A value cannot be empty.';
  if (Buffer.byteLength(value, 'utf8') > AGENT_ENV_VALUE_MAX_BYTES) {
    return `A value is at most ${AGENT_ENV_VALUE_MAX_BYTES} bytes.`;
  }
  // The env file that carries them to the host has one variable per line and no escapes.
  if (/[\r\n\0]/.test(value)) return 'A value cannot contain line breaks or NUL characters.';
  return null;
}

/** The only part of a value ever shown back: its last four characters, none for a short value. */
export function agentEnvLast4(value: string): string {
  const characters = [...value];
  return characters.length < LAST4_MIN_LENGTH ? '' : characters.slice(-4).join('');
}

/** AGENT_SECRETS_KEY's value, parsed; null when unset. Malformed is the operator's error (a 500). */
export function parseAgentSecretsKey(keyText: string | null | undefined): Buffer | null {
  return keyText ? parseKeySetting(keyText, 'AGENT_SECRETS_KEY') : null;
}

export function sealAgentEnvValue(value: string, key: Buffer, personId: string, name: string): string {
  return seal(value, key, agentEnvSealContext(personId, name));
}

/** Throws SealedSecretError for a wrong key or a value moved from another row. */
export function openAgentEnvValue(sealed: string, key: Buffer, personId: string, name: string): string {
  return open(sealed, key, agentEnvSealContext(personId, name));
}

export interface AgentEnvVarOutput {
  name: string;
  /** Last four characters of the value; empty for a short value. */
  last4: string;
  updatedAt: Date;
}

/** Whose variables: the caller's own (`own`: messages say "your") or a person an admin named. */
export interface AgentEnvTarget {
  personId: string;
  own: boolean;
}

async function findPerson(tx: DbOrTx, target: AgentEnvTarget) {
  const [person] = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.id, target.personId))
    .limit(1);
  if (!person) throw notFound('Person');
  return person;
}

export async function listAgentEnv(db: DbOrTx, target: AgentEnvTarget): Promise<AgentEnvVarOutput[]> {
  if (!target.own) await findPerson(db, target);
  return db
    .select({ name: agentEnvVars.name, last4: agentEnvVars.last4, updatedAt: agentEnvVars.updatedAt })
    .from(agentEnvVars)
    .where(eq(agentEnvVars.userId, target.personId))
    .orderBy(asc(agentEnvVars.name));
}

/**
 * The agent is provisioned again when it is meant to run: only a provision delivers variables. A stopped
 * agent gets them with its next start (provision).
 */
async function reprovisionJobs(tx: DbOrTx, deps: ChangeDeps, personId: string): Promise<JobRequest[]> {
  const [agent] = await tx
    .select({ id: agents.id, desiredState: agents.desiredState })
    .from(agents)
    .where(eq(agents.userId, personId))
    .limit(1);
  if (agent?.desiredState !== 'running') return [];
  // Recorded with the change, so the reconciler re-sends a provision whose enqueue is lost.
  await tx.update(agents).set({ envChangedAt: new Date() }).where(eq(agents.id, agent.id));
  return [provisionAgent(agent.id, { requestedBy: requesterOf(deps) })];
}

export interface AgentEnvChange {
  variable: AgentEnvVarOutput;
  /** True when the agent is being provisioned again to get it. */
  restarting: boolean;
}

/**
 * Sets (adds or replaces) one variable. `keyText` is AGENT_SECRETS_KEY: without it nothing can be
 * stored, which is a conflict with the installation's state (409), not the caller's bad input.
 */
export async function setAgentEnv(
  db: Db,
  deps: ChangeDeps,
  target: AgentEnvTarget,
  input: { name: string; value: string },
  keyText: string | null,
): Promise<AgentEnvChange> {
  const nameProblem = agentEnvNameProblem(input.name);
  if (nameProblem) throw badRequest(nameProblem, { field: 'name' });
  const valueProblem = agentEnvValueProblem(input.value);
  if (valueProblem) throw badRequest(valueProblem, { field: 'value' });
  const key = parseAgentSecretsKey(keyText);
  if (!key) {
    throw conflict(
      'Environment variables are not enabled on this installation: an admin needs to set AGENT_SECRETS_KEY.',
    );
  }
  const { name, value } = input;
  const sealed = sealAgentEnvValue(value, key, target.personId, name);
  const last4 = agentEnvLast4(value);

  const result = await db.transaction(async (tx) => {
    const person = await findPerson(tx, target);
    const [existing] = await tx
      .select({ name: agentEnvVars.name })
      .from(agentEnvVars)
      .where(and(eq(agentEnvVars.userId, person.id), eq(agentEnvVars.name, name)))
      .limit(1);
    if (!existing) {
      const [row] = await tx
        .select({ n: count() })
        .from(agentEnvVars)
        .where(eq(agentEnvVars.userId, person.id));
      if ((row?.n ?? 0) >= AGENT_ENV_MAX_VARS) {
        throw conflict(`An agent has at most ${AGENT_ENV_MAX_VARS} environment variables.`);
      }
    }
    const now = new Date();
    await tx
      .insert(agentEnvVars)
      .values({
        userId: person.id,
        name,
        valueSealed: sealed,
        last4,
        createdAt: now,
        updatedAt: now,
        updatedBy: deps.actor.personId,
      })
      .onConflictDoUpdate({
        target: [agentEnvVars.userId, agentEnvVars.name],
        set: { valueSealed: sealed, last4, updatedAt: now, updatedBy: deps.actor.personId },
      });
    // The name only: never the value, nor its last characters.
    await recordAudit(tx, deps, {
      action: 'agent.env_set',
      target: { kind: 'person', id: person.id, label: person.username },
      after: { name, replaced: Boolean(existing) },
    });
    const jobs = await reprovisionJobs(tx, deps, person.id);
    return { variable: { name, last4, updatedAt: now }, jobs };
  });
  await enqueueAfterCommit(deps, result.jobs);
  return { variable: result.variable, restarting: result.jobs.length > 0 };
}

/** Removes one variable; a name the person does not have is a 404. Needs no key. */
export async function deleteAgentEnv(
  db: Db,
  deps: ChangeDeps,
  target: AgentEnvTarget,
  name: string,
): Promise<{ restarting: boolean }> {
  const result = await db.transaction(async (tx) => {
    const person = await findPerson(tx, target);
    const removed = await tx
      .delete(agentEnvVars)
      .where(and(eq(agentEnvVars.userId, person.id), eq(agentEnvVars.name, name)))
      .returning({ name: agentEnvVars.name });
    if (removed.length === 0) throw notFound('Environment variable');
    await recordAudit(tx, deps, {
      action: 'agent.env_deleted',
      target: { kind: 'person', id: person.id, label: person.username },
      before: { name },
    });
    return { jobs: await reprovisionJobs(tx, deps, person.id) };
  });
  await enqueueAfterCommit(deps, result.jobs);
  return { restarting: result.jobs.length > 0 };
}
