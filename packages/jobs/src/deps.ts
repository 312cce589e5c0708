import type { Readable, Writable } from 'node:stream';
import type { agents, Db, DbOrTx, RunKind } from '@pocket-smyth/db';
import type { JobRequest } from './contract';

export type AgentRow = typeof agents.$inferSelect;
export type PlacedAgent = AgentRow & { hostId: string };

/** Options every outside call takes: the job's abort signal and a time limit. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The script's standard input (the provision script's env file); never logged or recorded. */
  stdin?: Uint8Array;
}

/** What a host script printed and how it exited (packages/hosts' `ExecResult`). */
export interface ScriptResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs the host scripts of one host (packages/hosts' `HostTransport`). Arguments travel as an argv array
 * and are never spliced into a shell line. Transport failures reject with an error carrying
 * `errorClass` (`host_unreachable`, `timeout`, …) and `transient`.
 */
export interface HostTransport {
  exec(script: string, args: readonly string[], options?: CallOptions): Promise<ScriptResult>;
  /**
   * A data script (export-data, import-data) with streamed stdin and stdout (packages/hosts'
   * `HostTransport.stream`): `stdout` receives the script's output with backpressure and is not ended.
   */
  stream(
    script: 'export-data' | 'import-data',
    args: readonly string[],
    options: Omit<CallOptions, 'stdin'> & { stdin?: Readable; stdout?: Writable },
  ): Promise<ScriptResult>;
}

/** What one agent's container may use (docs/ARCHITECTURE.md, "Plans and quotas"). */
export interface AgentLimits {
  cpus: number;
  memoryMb: number;
}

/** Where agents live (packages/hosts). */
export interface AgentHosts {
  /** Chooses a host for an agent that has none: the active host with the most free capacity. */
  place(agent: AgentRow): Promise<string>;
  /** The transport of the agent's host: `hostsFor(agent)`. */
  hostsFor(agent: PlacedAgent): Promise<HostTransport>;
  /**
   * The provision script's arguments after username and agent id (cpus, memory, image, domain, …), for
   * `image` (null: `defaultImage`, else the host's default) and `limits` (unset: `defaultLimits`).
   */
  provisionArgs(agent: PlacedAgent, image: string | null, limits?: AgentLimits): readonly string[];
  /** The worker's default agent image (AGENT_IMAGE); unset: the host's own default. */
  defaultImage?: string;
  /** The worker's limits of an agent (AGENT_CPUS, AGENT_MEMORY_MB), where the owner's plan sets none. */
  defaultLimits: AgentLimits;
  /** One status + stats round over every host, storing samples (docs/ARCHITECTURE.md, "Hosts"). */
  pollAll(options: CallOptions): Promise<void>;
}

/** The person's attributes in the identity provider (packages/graph's extension attributes). */
export interface IdentityAttributes {
  personId: string;
  /** Null clears the attribute (a person deleted before they picked one). */
  username: string | null;
  /** The person's status, or `deleted` once their row is gone. */
  status: string;
  /** Null clears the attribute. */
  agentUrl: string | null;
  /**
   * Where to find a person whose row is gone (a deletion); otherwise the provider finds them by
   * `personId`.
   */
  email?: string;
}

export interface IdentityProvider {
  /** Writes the B2C extension attributes; errors carry `errorClass` (`idp_rejected`, …) and `transient`. */
  syncPerson(attributes: IdentityAttributes, options: CallOptions): Promise<void>;
}

/** The mail a provisioning run sends: the approval, with the agent's URL (packages/email's `Mail`). */
export interface ApprovalMail {
  kind: 'approved';
  to: string;
  data: { name?: string | null; agentUrl: string };
}

/** A run that failed for good, as the attention mails describe it (packages/email's `FailedRun`). */
export interface FailedRunSummary {
  kind: RunKind;
  step: string | null;
  errorClass: string;
  message: string;
}

/** To the agent's owner when a provision or restart failed for good (packages/email's `agent_attention`). */
export interface AttentionMail {
  kind: 'agent_attention';
  to: string;
  data: {
    name?: string | null;
    run: FailedRunSummary & { kind: 'provision' | 'restart' };
    adminsTold: boolean;
    dashboardUrl: string;
  };
}

/** To each active admin when any run failed for good (packages/email's `admin_agent_attention`). */
export interface AdminAttentionMail {
  kind: 'admin_agent_attention';
  to: string;
  data: {
    person: { username: string; email?: string | null; name?: string | null };
    run: FailedRunSummary;
    retryUrl: string;
  };
}

export type JobMail = ApprovalMail | AttentionMail | AdminAttentionMail;

/** The outbox (packages/email's `Mailer`): `record` writes the row, `deliver` sends it. */
export interface MailOutbox {
  /** Inside `tx` when given, so the row commits with the change that caused it. */
  record(mail: JobMail, options?: { tx?: DbOrTx }): Promise<{ id: string }>;
  /** Errors carry `errorClass` (`email_rejected`, `email_unavailable`) and `transient`. */
  deliver(outboxId: string, options: CallOptions): Promise<unknown>;
}

/** Everything the job handlers use. The worker builds the real one; tests build theirs from real parts. */
export interface JobDeps {
  db: Db;
  hosts: AgentHosts;
  /** Null when Graph is not configured: the step is recorded as skipped and `idp.sync` does nothing. */
  idp: IdentityProvider | null;
  mail: MailOutbox;
  /** The public URL of a person's agent, e.g. https://alice.example.com/agent. */
  agentUrl(username: string): string;
  /** A person's dashboard, e.g. https://alice.example.com/, linked from their mails. */
  dashboardUrl(username: string): string;
  /**
   * The portal's origin for pages that are nobody's own, e.g. https://login.example.com, which sends an
   * admin on to their own host: the admin pages linked from admin mails live under it.
   */
  portalUrl: string;
  /** Enqueues follow-up jobs (the reconciler and the attention mails use it). */
  enqueue(requests: JobRequest[]): Promise<void>;
  /** Which graphile-worker jobs are in flight, by key (see reconciler). */
  jobsInFlight(keys: readonly string[]): Promise<Set<string>>;
  /** Time limit for one host script call. */
  scriptTimeoutMs?: number;
  /**
   * Rolls usage up into hours and days (packages/core's `rollUpUsage`; docs/ARCHITECTURE.md, "Usage
   * metering"). The worker always has it; tests of other jobs may leave it out.
   */
  rollUpUsage?: (now: Date) => Promise<{ hourRows: number }>;
  /**
   * Acts on every person's monthly agent-hours quota (packages/core's `checkAgentQuotas`;
   * docs/ARCHITECTURE.md, "Plans and quotas"). The worker always has it; tests of other jobs may leave it
   * out.
   */
  checkAgentQuotas?: (now: Date) => Promise<unknown>;
  /**
   * AGENT_SECRETS_KEY, parsed: opens the agents' environment variables for delivery. Null or absent: an
   * agent that has some fails to provision (`secrets_key_missing`).
   */
  agentSecretsKey?: Buffer | null;
  /** How many `status` checks (1 s apart) "wait for health" makes before it fails; 30 unless set. */
  healthChecks?: number;
  /** The most data a move carries from host to host (AGENT_MOVE_MAX_BYTES); 10 GiB when unset. */
  agentMoveMaxBytes?: number;
}
