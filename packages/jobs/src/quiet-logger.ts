import { Logger, type LogLevel } from 'graphile-worker';

type Meta = {
  job?: { id?: string; task_identifier?: string; attempts?: number; max_attempts?: number };
  success?: boolean;
  failure?: boolean;
  duration?: number;
  error?: { message?: string };
};

/**
 * graphile-worker's console output, cut down: warnings and errors as they are, and one line per job
 * outcome (graphile's own "Completed task"/"Failed task" lines carry a stack trace and the payload; we
 * print name, id, attempt, time and message). Everything else (info, debug) is dropped.
 */
export function quietLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  return new Logger(() => (level: LogLevel, message: string, rawMeta?: unknown) => {
    const meta = (rawMeta ?? {}) as Meta;
    const job = meta.job;
    if (meta.success && job) {
      write(`[worker] ok     ${job.task_identifier} #${job.id} (${Math.round(meta.duration ?? 0)} ms)`);
      return;
    }
    if (meta.failure && job) {
      const attempt = `attempt ${job.attempts}/${job.max_attempts}`;
      const final = (job.attempts ?? 0) >= (job.max_attempts ?? 0) ? ', no retry' : ', will retry';
      write(
        `[worker] failed ${job.task_identifier} #${job.id} (${attempt}${final}): ${meta.error?.message ?? message}`,
      );
      return;
    }
    if (level === 'error' || level === 'warning') write(`[worker] ${level}: ${message}`);
  });
}

/** For benchmarks and tests that want no output at all. */
export const silentLogger = new Logger(() => () => {});
