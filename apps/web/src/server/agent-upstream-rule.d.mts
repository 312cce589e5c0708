// Types of agent-upstream-rule.mjs for TypeScript (the app's tsconfig does not read JavaScript); keep
// them in step with the JSDoc there.

export declare const DEFAULT_AGENT_UPSTREAM_TEMPLATE: string;

export declare function isAgentUsername(username: string): boolean;

export interface AgentStateDirSettings {
  /** AGENT_STATE_DIR; empty or absent: `agents/` in `dataDir`. */
  stateDir?: string | undefined;
  /** DATA_DIR; empty or absent: `.data/` of the workspace. */
  dataDir?: string | undefined;
  /** Where relative paths start the search for the workspace root; default: the working directory. */
  cwd?: string | undefined;
}

export declare function resolveAgentStateDir(where?: AgentStateDirSettings): string;

export declare function defaultAgentStateDir(dataDir?: string): string;

export interface AgentMount {
  /** '' for `/agent…`, `/u/{username}` for `/u/{username}/agent…`. */
  mount: string;
  /** The named person (as written in the URL), or null for the viewer's own `/agent…`. */
  username: string | null;
  /** The path (and query) from `/agent` on. */
  agentUri: string;
}

export declare function parseAgentMount(url: string): AgentMount | null;

export declare function agentMountFor(username: string): string;

export declare function upstreamPathFor(agentUri: string, stripPrefix: boolean): string;

export declare function readAgentPort(stateDir: string, username: string): Promise<number | null>;

export interface AgentUpstreamConfig {
  /** AGENT_UPSTREAM_TEMPLATE; empty or absent: `http://127.0.0.1:{port}`. */
  template?: string | undefined;
  /** AGENT_UPSTREAM_STRIP_PREFIX: strip `/agent` from what the agent gets. */
  stripPrefix?: boolean | undefined;
  /** AGENT_STATE_DIR; empty or absent: `<dataDir>/agents`. */
  stateDir?: string | undefined;
  /** DATA_DIR, for the default state directory; empty or absent: `.data/` of the workspace. */
  dataDir?: string | undefined;
  /** How long a port read from its file is reused; 0 (default): read it every time. */
  portCacheMs?: number | undefined;
  /** The clock of the port cache (tests). */
  now?: (() => number) | undefined;
}

export interface AgentUpstream {
  /** The upstream origin (no trailing slash), or null: not a username, or no port recorded here. */
  origin(username: string): Promise<string | null>;
  /** What the agent gets for a path (and query) from `/agent` on. */
  path(agentUri: string): string;
  /** Drops a cached port (after a failed connection). */
  forgetPort(username: string): void;
}

export declare function createAgentUpstream(config?: AgentUpstreamConfig): AgentUpstream;
