import { type Db, users } from '@pocket-smyth/db';
import { createMailer, mailerSettingsFromEnv } from '@pocket-smyth/email';
import { createGraphSync, type GraphSync, graphConfigFromEnv } from '@pocket-smyth/graph';
import {
  type AgentHosts,
  type IdentityProvider,
  type JobDeps,
  type JobEnqueuer,
  jobsInFlight,
} from '@pocket-smyth/jobs';
import { eq } from 'drizzle-orm';
import { agentUrlFor, dashboardUrlFor, portalUrlFor, type WorkerEnv } from './env';

/** Graph's attribute writer behind the jobs' `IdentityProvider`: the person is found by their email. */
function identityProvider(db: Db, graph: GraphSync): IdentityProvider {
  return {
    async syncPerson(attributes, options) {
      const [person] = await db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, attributes.personId));
      if (!person) return; // deleted meanwhile: nothing left to update
      await graph.writePersonAttributes(
        { email: person.email },
        { username: attributes.username, status: attributes.status, agentUrl: attributes.agentUrl },
        options,
      );
    },
  };
}

export interface JobDepsParts {
  env: WorkerEnv;
  db: Db;
  enqueue: JobEnqueuer;
  hosts: AgentHosts;
  source?: Record<string, string | undefined>;
}

/** The real dependencies of every job handler, from the environment (SPEC §6 stand-ins when unset). */
export async function createJobDeps(parts: JobDepsParts): Promise<JobDeps> {
  const source = parts.source ?? process.env;
  const utils = await parts.enqueue.workerUtils();
  const graph = createGraphSync(graphConfigFromEnv(source));
  return {
    db: parts.db,
    hosts: parts.hosts,
    idp: graph ? identityProvider(parts.db, graph) : null,
    mail: createMailer({ db: parts.db, ...mailerSettingsFromEnv(source) }),
    agentUrl: (username) => agentUrlFor(parts.env, username),
    dashboardUrl: (username) => dashboardUrlFor(parts.env, username),
    portalUrl: portalUrlFor(parts.env),
    enqueue: parts.enqueue,
    jobsInFlight: (keys) => jobsInFlight(utils.withPgClient, keys),
    scriptTimeoutMs: parts.env.HOST_SCRIPT_TIMEOUT_SECONDS * 1_000,
  };
}
