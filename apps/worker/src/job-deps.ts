import { checkAgentQuotas, rollUpUsage, systemActor } from '@pocket-smyth/core';
import { type Db, users } from '@pocket-smyth/db';
import { createMailer } from '@pocket-smyth/email';
import { mailerSettings } from '@pocket-smyth/email/env';
import { createGraphSync, type GraphSync } from '@pocket-smyth/graph';
import { graphConfig } from '@pocket-smyth/graph/env';
import { agentSecretsKey } from '@pocket-smyth/hosts/env';
import {
  type AgentHosts,
  type IdentityProvider,
  type JobDeps,
  type JobEnqueuer,
  jobsInFlight,
} from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { agentUrlFor, dashboardUrlFor, portalUrlFor, type WorkerEnv } from './env';

/**
 * Graph's attribute writer behind the jobs' `IdentityProvider`: the person is found by their email, or
 * by the address a deletion's `idp.sync` carries once their row is gone.
 */
function identityProvider(db: Db, graph: GraphSync): IdentityProvider {
  return {
    async syncPerson(attributes, options) {
      const [person] = await db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, attributes.personId));
      const email = person?.email ?? attributes.email;
      if (!email) return; // deleted meanwhile: the deletion's own sync marks them
      await graph.writePersonAttributes(
        { email },
        { username: attributes.username, status: attributes.status, agentUrl: attributes.agentUrl },
        options,
      );
    },
  };
}

export interface JobDepsParts {
  /** The worker's parsed configuration (env.ts). */
  env: WorkerEnv;
  db: Db;
  enqueue: JobEnqueuer;
  hosts: AgentHosts;
}

/**
 * The real dependencies of every job handler, from the worker's configuration, with the embedded
 * stand-ins when a service is not configured (Graph off: the step is skipped; no Resend key: the outbox).
 */
export async function createJobDeps(parts: JobDepsParts): Promise<JobDeps> {
  const utils = await parts.enqueue.workerUtils();
  const graph = createGraphSync(graphConfig(parts.env));
  const mailer = createMailer({ db: parts.db, ...mailerSettings(parts.env) });
  return {
    db: parts.db,
    hosts: parts.hosts,
    idp: graph ? identityProvider(parts.db, graph) : null,
    mail: mailer,
    agentUrl: (username) => agentUrlFor(parts.env, username),
    dashboardUrl: (username) => dashboardUrlFor(parts.env, username),
    portalUrl: portalUrlFor(parts.env),
    enqueue: parts.enqueue,
    jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    scriptTimeoutMs: parts.env.HOST_SCRIPT_TIMEOUT_SECONDS * 1_000,
    rollUpUsage: (now) => rollUpUsage(parts.db, now),
    checkAgentQuotas: (now) =>
      checkAgentQuotas(
        parts.db,
        {
          actor: systemActor,
          requestId: null,
          ip: null,
          enqueue: (requests) => parts.enqueue(requests),
          mailer,
          portalUrl: portalUrlFor(parts.env),
          dashboardUrl: (username) => dashboardUrlFor(parts.env, username),
        },
        now,
      ),
    agentSecretsKey: agentSecretsKey(parts.env),
    healthChecks: parts.env.AGENT_HEALTH_CHECKS,
    agentMoveMaxBytes: parts.env.AGENT_MOVE_MAX_BYTES,
  };
}
