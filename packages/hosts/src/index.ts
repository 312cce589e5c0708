export { type AgentEnvVar, agentEnvDelivery, agentEnvFile } from './agent-env-file';
export { ChannelLimiter } from './channel-limiter';
export { type HostConfig, hostConfigSchema, type ParsedHostConfig } from './host-config';
export { HostError, type HostErrorClass, isHostError, type ScriptErrorDetail } from './host-error';
export {
  fingerprintHostKey,
  fingerprintPublicKeyLine,
  HOST_KEY_FINGERPRINT,
  isHostKeyFingerprint,
  normalizeHostKeyFingerprint,
} from './host-key';
export {
  deprovisionAgent,
  MAX_LOG_TAIL,
  type ProvisionInput,
  provisionAgent,
  provisionArgs,
  readAgentLogs,
  readHostStats,
  readHostStatus,
  restartAgent,
  stopAgent,
} from './host-operations';
export {
  DATA_SCRIPTS,
  type DataScript,
  DEFAULT_SCRIPTS_DIR,
  HOST_SCRIPTS,
  type HostScript,
  isDataScript,
  isHostScript,
} from './host-scripts';
export { createHostTransport, HostTransports, type TransportDefaults } from './host-transports';
export { LocalTransport, type LocalTransportOptions } from './local-transport';
export { type PlacementHost, pickHost } from './placement';
export {
  decryptPrivateKey,
  ENCRYPTED_PRIVATE_KEY_PREFIX,
  encryptPrivateKey,
  generateEncryptionKey,
  HOST_KEY_ENCRYPTION_KEY_ENV,
  parseEncryptionKey,
  requireEncryptionKey,
} from './private-key';
export {
  loadPrivateKey,
  type PrivateKeyReference,
  privateKeyReferenceSchema,
} from './private-key-reference';
export { runHostScript } from './run-host-script';
export {
  type AgentActionResult,
  type AgentLogLine,
  type AgentLogs,
  type AgentStatus,
  agentActionResultSchema,
  agentLogsSchema,
  agentStatusSchema,
  type HostStats,
  type HostStatus,
  hostStatsSchema,
  hostStatusSchema,
} from './script-output';
export { quoteShellArg, quoteShellArgs } from './shell-quote';
export { SshTransport, type SshTransportOptions } from './ssh-transport';
export type { ExecOptions, ExecResult, HostTransport, StreamOptions } from './transport';
