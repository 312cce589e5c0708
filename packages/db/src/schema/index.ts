export * from './agents';
export * from './api-tokens';
export * from './audit';
export * from './auth';
export * from './hosts';
export * from './metrics';
export * from './outbox';
export * from './runs';
