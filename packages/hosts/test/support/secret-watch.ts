import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Watches every process's command line (/proc/<pid>/cmdline) while a call runs, for a secret that must
 * never be an argument, and optionally a directory for the files that hold it (their mode). The sweeps
 * run back to back, yielding to the event loop between them, so the call under test keeps going.
 */
export interface SecretWatch {
  /** Command lines that contained the secret (should stay empty). */
  hits: string[];
  /** Command lines seen that contained `marker` (proof the watch saw the call's own processes). */
  markerSeen: string[];
  /** Modes (octal) of files seen under `dir`, by path. */
  fileModes: Map<string, string>;
  sweeps: number;
  stop(): Promise<void>;
}

export function watchForSecret(secret: string, options: { marker?: string; dir?: string } = {}): SecretWatch {
  const watch: SecretWatch = {
    hits: [],
    markerSeen: [],
    fileModes: new Map(),
    sweeps: 0,
    stop: async () => {},
  };
  let running = true;
  const sweep = () => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue; // gone meanwhile
      }
      if (cmdline.includes(secret)) watch.hits.push(`${entry}: ${cmdline}`);
      if (options.marker && cmdline.includes(options.marker) && watch.markerSeen.length < 50)
        watch.markerSeen.push(cmdline);
    }
    if (options.dir) visit(options.dir, watch.fileModes);
    watch.sweeps++;
  };
  const loop = new Promise<void>((resolve) => {
    const next = () => {
      if (!running) return resolve();
      sweep();
      setImmediate(next);
    };
    next();
  });
  watch.stop = async () => {
    running = false;
    await loop;
  };
  return watch;
}

function visit(dir: string, modes: Map<string, string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const file = path.join(dir, name);
    try {
      const stat = statSync(file);
      modes.set(file, (stat.mode & 0o777).toString(8));
      if (stat.isDirectory()) visit(file, modes);
    } catch {
      // removed meanwhile
    }
  }
}
