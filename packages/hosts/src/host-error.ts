/**
 * Why talking to a host failed, in the classes a provisioning step records (docs/ARCHITECTURE.md, "Runs and steps"). `transient`
 * says whether the same call may succeed later, so the job retries with backoff, or fails at once.
 */
export type HostErrorClass =
  | 'host_unreachable'
  | 'host_key_mismatch'
  | 'auth_failed'
  | 'timeout'
  | 'script_failed'
  | 'aborted'
  // Our side of the host's settings is wrong: its private key cannot be loaded (the file is missing or
  // unreadable, it cannot be decrypted or parsed). The host was never asked, and retrying cannot help.
  | 'host_misconfigured';

const TRANSIENT_BY_DEFAULT: Record<HostErrorClass, boolean> = {
  host_unreachable: true,
  host_key_mismatch: false,
  auth_failed: false,
  timeout: true,
  script_failed: false,
  // The job was cancelled or the worker is stopping; the scripts are idempotent, so running the
  // job again later is always safe.
  aborted: true,
  host_misconfigured: false,
};

/** The JSON error a host script prints on stdout when it fails. */
export interface ScriptErrorDetail {
  code: string;
  message: string;
  transient: boolean;
}

export interface HostErrorOptions {
  transient?: boolean;
  cause?: unknown;
  /** The script's exit status, for script_failed. */
  exitCode?: number;
  /** The script's own error object, when it printed one. */
  scriptError?: ScriptErrorDetail;
  /** The last lines of the script's output, for the step's output tail. */
  outputTail?: string;
}

export class HostError extends Error {
  override readonly name = 'HostError';
  readonly errorClass: HostErrorClass;
  readonly transient: boolean;
  readonly exitCode: number | undefined;
  readonly scriptError: ScriptErrorDetail | undefined;
  readonly outputTail: string | undefined;

  constructor(errorClass: HostErrorClass, message: string, options: HostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorClass = errorClass;
    this.transient = options.transient ?? TRANSIENT_BY_DEFAULT[errorClass];
    this.exitCode = options.exitCode;
    this.scriptError = options.scriptError;
    this.outputTail = options.outputTail;
  }
}

export function isHostError(error: unknown): error is HostError {
  return error instanceof HostError;
}
