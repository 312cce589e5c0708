import { z } from 'zod';
import { HOST_KEY_ENCRYPTION_KEY_ENV, parseEncryptionKey } from './private-key';
import { parseKeySetting } from './sealed-secret';

/** An optional 32-byte key setting, base64 or hex (openssl rand -base64 32), checked at start. */
function optionalKeySetting(settingName: string) {
  return z
    .string()
    .trim()
    .optional()
    .superRefine((value, ctx) => {
      if (!value) return;
      try {
        parseKeySetting(value, settingName);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      }
    });
}

/**
 * The key of host private keys stored in the database, as a zod fragment each app composes into its one
 * env.ts (docs/ARCHITECTURE.md, "Configuration"): the web app encrypts keys added as text with it, the
 * worker decrypts them. Unset: hosts must reference a key file instead.
 */
export const hostKeyEnv = z.object({
  HOST_KEY_ENCRYPTION_KEY: optionalKeySetting(HOST_KEY_ENCRYPTION_KEY_ENV),
});

export type HostKeyEnv = z.infer<typeof hostKeyEnv>;

/** The parsed key, for the transports (`TransportDefaults.encryptionKey`); undefined when unset. */
export function hostEncryptionKey(env: HostKeyEnv): Buffer | undefined {
  return env.HOST_KEY_ENCRYPTION_KEY ? parseEncryptionKey(env.HOST_KEY_ENCRYPTION_KEY) : undefined;
}

/** The setting that holds the key of agents' environment variables. */
export const AGENT_SECRETS_KEY_ENV = 'AGENT_SECRETS_KEY';

/**
 * The key of agents' environment variables (docs/ARCHITECTURE.md, "Agent secrets"): the web app seals
 * the values with it, the worker opens them to deliver them. Unset: nobody can set a variable, and an
 * agent that has some cannot be provisioned (`secrets_key_missing`).
 */
export const agentSecretsEnv = z.object({
  AGENT_SECRETS_KEY: optionalKeySetting(AGENT_SECRETS_KEY_ENV),
});

export type AgentSecretsEnv = z.infer<typeof agentSecretsEnv>;

/** The parsed key; null when unset. */
export function agentSecretsKey(env: AgentSecretsEnv): Buffer | null {
  return env.AGENT_SECRETS_KEY ? parseKeySetting(env.AGENT_SECRETS_KEY, AGENT_SECRETS_KEY_ENV) : null;
}

/** What the host scripts get on every host (the worker's fragment). */
export const hostScriptsEnv = z.object({
  /**
   * Extra environment for the host scripts on every host, as a JSON object of strings, e.g.
   * {"AGENT_RUNTIME":"docker"} (set the runtime explicitly on production hosts).
   */
  HOST_SCRIPT_ENV: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return {};
      try {
        return z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'HOST_SCRIPT_ENV is a JSON object of string values' });
        return z.NEVER;
      }
    }),
});

export type HostScriptsEnv = z.infer<typeof hostScriptsEnv>;

/**
 * This process's environment, which the local transport's scripts start from (filtered: see
 * `scriptEnvironment`) when its caller passes no `baseEnv`. A child process's environment, not a
 * setting; the worker is to pass its own explicitly, and then this default goes.
 */
export function inheritedEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
