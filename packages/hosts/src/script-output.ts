import { z } from 'zod';

/**
 * The JSON the host scripts print (infra/host/README.md). Every script prints exactly one object on
 * stdout: `{ "ok": true, ... }` on success, `{ "ok": false, "error": {...} }` with a non-zero exit
 * status on failure.
 */

const agentState = z.enum(['running', 'stopped', 'absent']);

/** Docker prints nanoseconds ("…:55.152000000Z"); Date wants at most milliseconds. */
const timestamp = z
  .string()
  .nullable()
  .transform((text, ctx) => {
    if (text === null) return null;
    const date = new Date(text.replace(/(\.\d{3})\d+/, '$1'));
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a timestamp: ${text}` });
      return z.NEVER;
    }
    return date;
  });

export const agentStatusSchema = z.object({
  username: z.string(),
  agentId: z.string().nullable(),
  state: agentState,
  /** The runtime's own word for it: docker's State.Status ("exited", "restarting", …), or "exited"/"absent". */
  detail: z.string(),
  cpuPercent: z.number().nonnegative(),
  memoryBytes: z.number().int().nonnegative(),
  /** When the agent entered its current state; null when unknown or absent. */
  since: timestamp,
  /** The local port of a process-runtime agent; null for containers (reached through Traefik). */
  port: z.number().int().positive().nullable(),
});

export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const hostStatusSchema = z
  .object({ ok: z.literal(true), runtime: z.enum(['docker', 'process']), agents: z.array(agentStatusSchema) })
  .transform(({ ok: _ok, ...rest }) => rest);

export type HostStatus = z.infer<typeof hostStatusSchema>;

export const hostStatsSchema = z
  .object({
    ok: z.literal(true),
    cpuPercent: z.number().nonnegative(),
    cpuCount: z.number().int().positive(),
    memTotalBytes: z.number().nonnegative(),
    memUsedBytes: z.number().nonnegative(),
    diskTotalBytes: z.number().nonnegative(),
    diskUsedBytes: z.number().nonnegative(),
    load1: z.number().nonnegative(),
  })
  .transform(({ ok: _ok, ...rest }) => rest);

export type HostStats = z.infer<typeof hostStatsSchema>;

export const agentActionResultSchema = z
  .object({
    ok: z.literal(true),
    action: z.enum(['provision', 'restart', 'stop', 'deprovision']),
    runtime: z.enum(['docker', 'process']),
    username: z.string(),
    /** False when the agent was already as asked (the script is idempotent). */
    changed: z.boolean(),
    state: agentState,
    port: z.number().int().positive().nullable(),
  })
  .transform(({ ok: _ok, ...rest }) => rest);

export type AgentActionResult = z.infer<typeof agentActionResultSchema>;

/** One line of an agent's output: when the runtime recorded it (RFC 3339, nanoseconds) and its text. */
export const agentLogLineSchema = z.object({ at: z.string(), text: z.string() });
export type AgentLogLine = z.infer<typeof agentLogLineSchema>;

/** What `logs` prints: the last lines asked for, oldest first. */
export const agentLogsSchema = z
  .object({
    ok: z.literal(true),
    username: z.string(),
    runtime: z.enum(['docker', 'process']),
    lines: z.array(agentLogLineSchema),
  })
  .strict()
  .transform(({ ok: _ok, ...rest }) => rest);
export type AgentLogs = z.infer<typeof agentLogsSchema>;

export const scriptErrorSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string(), transient: z.boolean() }),
});
