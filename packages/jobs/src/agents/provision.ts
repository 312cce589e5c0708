import { setTimeout as sleep } from 'node:timers/promises';
import { agents, outbox, parsePreferences, runs, users } from '@pocket-smyth/db';
import { and, eq, gte, ne } from 'drizzle-orm';
import type { HostTransport } from '../deps';
import type { StepHandle } from '../run-recorder';
import type { AgentChange } from './agent-change';
import { identityStep } from './identity-step';
import { reportedState, runScript } from './script-call';

export const provisionSteps = [
  'place on host',
  'run provision script',
  'wait for health',
  'update identity provider',
  'send email',
] as const;

const healthChecks = 30;
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
 * The "wait for health" step. The first health check is the provision script's own (`provisioned`, the
 * state it saw after the start): a `status` call straight after it would read the same state again, at
 * the cost of a script and three docker calls per agent (docs/ARCHITECTURE.md, "Runs and steps").
 * Anything but running is polled with `status`.
 */
export async function waitForHealth(
  transport: HostTransport,
  username: string,
  provisioned: string | null,
  step: StepHandle,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<void> {
  if (provisioned === 'running') {
    step.output('running, as the provision script saw it after the start');
    return;
  }
  for (let check = 1; check <= healthChecks; check++) {
    const result = await runScript(transport, 'status', [username], step, options);
    if (reportedState(result.stdout, username) === 'running') return;
    await sleep(healthIntervalMs, undefined, { signal: options.signal });
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
    await run.step('run provision script', async (step) => {
      const args = [agent.username, agent.id, ...deps.hosts.provisionArgs(agent)];
      const result = await runScript(transport, 'provision', args, step, { signal, timeoutMs });
      provisioned = provisionedState(result.stdout);
    });

    await run.step('wait for health', (step) =>
      waitForHealth(transport, agent.username, provisioned, step, { signal, timeoutMs }),
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
