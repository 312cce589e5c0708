import type { z } from 'zod';
import { HostError } from './host-error';
import type { HostScript } from './host-scripts';
import { tailLines } from './output-buffer';
import { scriptErrorSchema } from './script-output';
import type { ExecOptions, HostTransport } from './transport';

const TAIL_LINES = 20;

/**
 * Runs a script and returns its parsed output. A non-zero exit becomes a HostError `script_failed`
 * carrying the script's own error (code, message, transient) and the last lines of its output.
 */
export async function runHostScript<Schema extends z.ZodType>(
  transport: HostTransport,
  script: HostScript,
  args: readonly string[],
  schema: Schema,
  options: ExecOptions = {},
): Promise<z.output<Schema>> {
  const result = await transport.exec(script, args, options);
  const outputTail = tailLines([result.stderr, result.stdout].filter(Boolean).join('\n'), TAIL_LINES);
  const json = parseLastJsonLine(result.stdout);

  if (result.code !== 0) {
    const failure = scriptErrorSchema.safeParse(json);
    if (failure.success) {
      const { code, message, transient } = failure.data.error;
      throw new HostError('script_failed', `${script} failed (${code}): ${message}`, {
        transient,
        exitCode: result.code,
        scriptError: failure.data.error,
        outputTail,
      });
    }
    throw new HostError('script_failed', `${script} exited with status ${result.code}`, {
      exitCode: result.code,
      outputTail,
    });
  }

  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new HostError('script_failed', `${script} printed output that does not match its contract`, {
      exitCode: result.code,
      outputTail,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The JSON object on stdout; the last non-empty line, should anything ever print before it. */
function parseLastJsonLine(stdout: string): unknown {
  const line = stdout.trimEnd().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
