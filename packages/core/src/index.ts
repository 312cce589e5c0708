// The domain: functions of (db, ports, …) that hold the product's rules, with no HTTP, tRPC or
// configuration in them (docs/ARCHITECTURE.md, "Layers").
export * from './activity';
export * from './agent-access';
export * from './agent-actions';
export * from './agent-metrics';
export * from './api-tokens';
export * from './audit';
export * from './cursor';
export * from './errors';
export * from './failing-agents';
export * from './host-metrics';
export * from './host-polling';
export * from './host-sessions';
export * from './hosts';
export * from './jobs-after-commit';
export * from './notifications';
export * from './people-lifecycle';
export * from './people-list';
export * from './people-queries';
export * from './ports';
export * from './rate-limits';
export * from './registration';
export * from './runs';
export * from './scopes';
export * from './system-status';
export * from './username-availability';
export * from './usernames';
