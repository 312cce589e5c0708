import { setTimeout as sleep } from 'node:timers/promises';
import { agents, outbox, parsePreferences, runs, users } from '@pocket-smyth/db';
import { agentEnvDelivery } from '@pocket-smyth/hosts/agent-env-file';
import { and, eq, gte, isNotNull, ne } from 'drizzle-orm';
import type { HostTransport, JobDeps, PlacedAgent } from '../deps';
import type { StepHandle } from '../run-recorder';
import type { AgentChange } from './agent-change';
import { openAgentEnv } from './agent-env';
import { imageForAgent } from './agent-image';
import { agentPlanOf, limitsFor } from './agent-plan';
import { identityStep } from './identity-step';
import { reportedAgent, runScript } from './script-call';

export const provisionSteps = [
  'place on host',
  'run provision script',
  'wait for health',
  'update identity provider',
  'send email',
] as const;

const defaultHealthChecks = 30;
const healthIntervalMs = 1_000;

/** The `state` of the provision script's result object; null when the output says nothing usable. */
export function provisionedState(stdout: string): string | null {
  try {
    const parsed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { ok?: unknown; state?: unknown };
    return parsed.ok === true && typeof parsed.state === 'string' ? parsed.state : null;
  } catch {
    return null;
  }
}

class HealthTimeoutError extends Error {
  override readonly name = 'HealthTimeoutError';
  readonly errorClass = 'timeout';
  readonly transient = true;
}

/**
 * How the provision script of this agent runs now, read when the step runs so a retry takes what holds
 * then: the image (an admin's override, the owner's plan, a rollout's hold or rollback, the portal's
 * default), the CPUs and memory (the owner's plan, else the worker's settings) and the owner's
 * environment variables, which go on the script's stdin, never into its arguments or a step's output.
 * Shared by provision and by a move's provision on its target.
 */
export async function provisionCall(deps: JobDeps, agent: PlacedAgent) {
  const plan = await agentPlanOf(deps.db, agent.id);
  const choice = await imageForAgent(deps.db, agent.id, plan);
  const limits = limitsFor(plan, deps.hosts.defaultLimits);
  const env = agentEnvDelivery(await openAgentEnv(deps, agent));
  return {
    image: choice.image ?? deps.hosts.defaultImage ?? null,
    why: choice.why,
    limits,
    args: [
      agent.username,
      agent.id,
      ...deps.hosts.provisionArgs(agent, choice.image, { cpus: limits.cpus, memoryMb: limits.memoryMb }),
      env.arg,
    ],
    stdin: env.stdin,
  };
}

/** What a provision step records of its call: the image and the limits, each with where it came from. */
export function describeCall(call: Awaited<ReturnType<typeof provisionCall>>): string {
  const { limits } = call;
  return [
    `image ${call.image ?? "(the host's default)"}: ${call.why}`,
    `${limits.cpus} CPUs, ${limits.memoryMb} MB: ${limits.why}`,
  ].join('\n');
}

/**
 * The "wait for health" step. The first health check is the provision script's own (`provisioned`, the
 * state it saw after the start): a `status` call straight after it would read the same state again, at
 * the cost of a script and three docker calls per agent (docs/ARCHITECTURE.md, "Runs and steps"). Not
 * for a `fresh` container (a new image, whose entrypoint may exit at once and be started again by the
 * restart policy; new limits or variables, with which it may crash or run out of memory): it is running
 * for a moment at each start. Otherwise polled: healthy once two checks in a row find it
 * running since the same start, so a container that crashes and is restarted in between never passes.
 */
export async function waitForHealth(
  transport: HostTransport,
  username: string,
  provisioned: string | null,
  step: StepHandle,
  options: { signal: AbortSignal; timeoutMs: number; healthChecks?: number; fresh?: boolean },
): Promise<void> {
  if (provisioned === 'running' && !options.fresh) {
    step.output('running, as the provision script saw it after the start');
    return;
  }
  const healthChecks = options.healthChecks ?? defaultHealthChecks;
  const call = { signal: options.signal, timeoutMs: options.timeoutMs };
  let runningSince: string | null | undefined;
  for (let check = 1; check <= healthChecks; check++) {
    const result = await runScript(transport, 'status', [username], step, call);
    const seen = reportedAgent(result.stdout, username);
    if (seen?.state === 'running') {
      if (runningSince !== undefined && runningSince === seen.since) return;
      runningSince = seen.since;
    } else runningSince = undefined;
    if (check < healthChecks) await sleep(healthIntervalMs, undefined, { signal: options.signal });
  }
  throw new HealthTimeoutError(`The agent was not running after ${healthChecks} checks`);
}

/** Brings the agent up (docs/ARCHITECTURE.md, "Runs and steps"). Every step is safe to run twice. */
export const provisionChange: AgentChange = {
  kind: 'provision',
  steps: provisionSteps,
  during: 'provisioning',
  after: 'running',
  async perform(run, initial, { deps, signal }) {
    const timeoutMs = deps.scriptTimeoutMs ?? 120_000;
    let hostId = initial.hostId;

    await run.step('place on host', async (step) => {
      if (hostId) {
        step.output(`already placed on host ${hostId}`);
        return;
      }
      hostId = await deps.hosts.place(initial);
      await deps.db.update(agents).set({ hostId, updatedAt: new Date() }).where(eq(agents.id, initial.id));
      step.output(`placed on host ${hostId}`);
    });
    // A retry that skips the placement step finds the host on the row.
    if (!hostId) {
      const [row] = await deps.db
        .select({ hostId: agents.hostId })
        .from(agents)
        .where(eq(agents.id, initial.id));
      hostId = row?.hostId ?? null;
    }
    if (!hostId) throw new Error('The agent has no host after placement');
    const agent = { ...initial, hostId };
    const transport = await deps.hosts.hostsFor(agent);

    // What the provision script saw when it finished: "running" is the daemon's word read after the
    // start (docker inspect; the process runtime waits until the agent listens), not a hope.
    let provisioned: string | null = null;
    // A container made from another image than the one it ran, or for a change of its plan or its
    // variables (`env_changed_at`, the change's record): its first "running" proves nothing yet.
    let fresh = false;
    await run.step('run provision script', async (step) => {
      const [before] = await deps.db
        .select({ runningImage: agents.runningImage, envChangedAt: agents.envChangedAt })
        .from(agents)
        .where(eq(agents.id, agent.id));
      // Taken up: a change committed from here on stays recorded for its own provision (the reconciler
      // re-sends one whose enqueue was lost); one committed before is read just below.
      await deps.db
        .update(agents)
        .set({ envChangedAt: null })
        .where(and(eq(agents.id, agent.id), isNotNull(agents.envChangedAt)));
      const call = await provisionCall(deps, agent);
      fresh =
        before?.envChangedAt != null || (before?.runningImage != null && before.runningImage !== call.image);
      step.output(describeCall(call));
      const result = await runScript(transport, 'provision', call.args, step, {
        signal,
        timeoutMs,
        ...(call.stdin ? { stdin: call.stdin } : {}),
      });
      const image = call.image;
      provisioned = provisionedState(result.stdout);
      // The container is made from it now, healthy or not: the Agents page and rollouts read this.
      await deps.db
        .update(agents)
        .set({ runningImage: image, updatedAt: new Date() })
        .where(eq(agents.id, agent.id));
    });

    await run.step('wait for health', (step) =>
      waitForHealth(transport, agent.username, provisioned, step, {
        signal,
        timeoutMs,
        healthChecks: deps.healthChecks,
        fresh,
      }),
    );

    // The owner's current attributes: active with the agent's URL, unless a newer decision says otherwise.
    await run.step('update identity provider', (step) => identityStep(deps, agent, step, signal));

    await run.step('send email', async (step) => {
      if (!agent.userId) return step.skip('The person no longer exists');
      // The approval mail goes out once, after the first provision that succeeds.
      const [earlier] = await deps.db
        .select({ id: runs.id })
        .from(runs)
        .where(
          and(
            eq(runs.agentId, agent.id),
            eq(runs.kind, 'provision'),
            eq(runs.status, 'succeeded'),
            ne(runs.id, run.id),
          ),
        )
        .limit(1);
      if (earlier) return step.skip('The approval mail went out with an earlier provision');
      const [person] = await deps.db
        .select({ email: users.email, name: users.name, preferences: users.preferences })
        .from(users)
        .where(eq(users.id, agent.userId));
      if (!person) return step.skip('The person no longer exists');
      // "Email me when my agent is ready" off (onboarding or the dashboard): the dashboard tells them.
      if (parsePreferences(person.preferences).emailNotifications === false) {
        return step.skip('They turned mail notifications off');
      }
      // A retried step reuses the row it wrote before rather than writing a second mail.
      const [existing] = await deps.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.kind, 'approved'),
            eq(outbox.to, person.email),
            gte(outbox.createdAt, run.row.createdAt),
          ),
        )
        .limit(1);
      const outboxId =
        existing?.id ??
        (
          await deps.mail.record({
            kind: 'approved',
            to: person.email,
            data: { name: person.name, agentUrl: deps.agentUrl(agent.username) },
          })
        ).id;
      const delivery = await deps.mail.deliver(outboxId, { signal });
      step.output(`mail ${outboxId}: ${JSON.stringify(delivery)}`);
    });
  },
};
