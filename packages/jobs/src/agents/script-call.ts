import type { CallOptions, HostTransport, ScriptResult } from '../deps';
import type { StepHandle } from '../run-recorder';

/** A host script exited non-zero. The script's own JSON error says whether to retry. */
export class ScriptFailedError extends Error {
  override readonly name = 'ScriptFailedError';
  readonly errorClass = 'script_failed';
  readonly transient: boolean;

  constructor(script: string, result: ScriptResult) {
    const detail = parseScriptError(result.stdout);
    super(detail ? `${script}: ${detail.message}` : `${script} exited with status ${result.code}`);
    this.transient = detail?.transient ?? false;
  }
}

function parseScriptError(stdout: string): { message: string; transient: boolean } | null {
  try {
    // The last JSON line: export-data's error object is on stderr, with its human line after it.
    const line = stdout
      .trim()
      .split('\n')
      .findLast((candidate) => candidate.startsWith('{'));
    const parsed = JSON.parse(line ?? '') as {
      ok?: boolean;
      error?: { message?: unknown; transient?: unknown };
    };
    if (parsed.ok !== false || typeof parsed.error?.message !== 'string') return null;
    return { message: parsed.error.message, transient: parsed.error.transient === true };
  } catch {
    return null;
  }
}

/** Runs a host script, copying its output into the step, and throws on a non-zero exit. */
export async function runScript(
  transport: HostTransport,
  script: string,
  args: readonly string[],
  step: StepHandle,
  options: CallOptions,
): Promise<ScriptResult> {
  const result = await transport.exec(script, args, options);
  step.output(result.stderr);
  step.output(result.stdout);
  if (result.code !== 0) throw new ScriptFailedError(script, result);
  return result;
}

/**
 * The agent's state as the `status` script reports it, and since when (the container's or process's
 * start while running); null when the output says nothing about it.
 */
export function reportedAgent(
  stdout: string,
  username: string,
): { state: string; since: string | null } | null {
  try {
    const parsed = JSON.parse(stdout) as {
      agents?: { username?: string; state?: string; since?: string | null }[];
    };
    const agent = parsed.agents?.find((a) => a.username === username);
    return agent?.state ? { state: agent.state, since: agent.since ?? null } : null;
  } catch {
    return null;
  }
}
