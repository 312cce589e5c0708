import type { JobWorker } from '@pocket-smyth/jobs';

type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

export interface ShutdownOptions {
  /** Where signals come from; `process` in production, an EventEmitter in tests. */
  source?: SignalSource;
  /** After this long, a graceful stop turns forceful: running jobs are failed and so retried later. */
  forceAfterMs?: number;
  /**
   * A signal this soon after the first is the same stop asked twice, not a second one: Ctrl-C in a
   * terminal signals the whole process group, and `tsx watch` (pnpm dev) relays it to this process as
   * well. Default 1,000 ms.
   */
  relayWindowMs?: number;
  log?: (line: string) => void;
}

/**
 * SIGTERM/SIGINT stop the runner gracefully: no new jobs are taken, running ones finish (graphile aborts
 * their signal after its grace period, and a job that then gives up is released for a retry). A second
 * signal (later than `relayWindowMs` after the first), or `forceAfterMs`, stops it forcefully. Resolves
 * once the runner has stopped.
 */
export function stopOnSignals(runner: JobWorker, options: ShutdownOptions = {}): Promise<void> {
  const source = options.source ?? process;
  const log = options.log ?? ((line: string) => console.info(line));
  const forceAfterMs = options.forceAfterMs ?? 30_000;
  const relayWindowMs = options.relayWindowMs ?? 1_000;
  return new Promise((resolve) => {
    let stopping: Promise<void> | null = null;
    let firstSignalAt = 0;
    let forced = false;
    const finish = () => {
      source.off('SIGTERM', onSignal);
      source.off('SIGINT', onSignal);
      resolve();
    };
    const force = (why: string) => {
      if (forced) return;
      forced = true;
      log(`[worker] ${why}; stopping forcefully (running jobs are released for a retry)`);
      // A forceful stop does not wait for handlers that ignore their abort signal.
      runner
        .forceStop(why)
        .catch(() => {})
        .finally(finish);
    };
    const onSignal = (signal: string) => {
      if (stopping) {
        if (Date.now() - firstSignalAt < relayWindowMs) return;
        return force(`second ${signal}`);
      }
      firstSignalAt = Date.now();
      log(`[worker] ${signal}: finishing running jobs, taking no new ones`);
      const timer = setTimeout(() => force(`still running after ${forceAfterMs} ms`), forceAfterMs);
      timer.unref();
      stopping = runner
        .stop(`received ${signal}`)
        .catch(() => {})
        .finally(() => {
          clearTimeout(timer);
          finish();
        });
    };
    source.on('SIGTERM', onSignal);
    source.on('SIGINT', onSignal);
    // The runner may also end by itself (a fatal database error); then there is nothing to wait for.
    runner.promise.then(
      () => {
        if (!stopping) resolve();
      },
      () => {
        if (!stopping) resolve();
      },
    );
  });
}
