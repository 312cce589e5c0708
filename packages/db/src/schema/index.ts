export * from './agents';
export * from './audit';
export * from './auth';
export * from './hosts';
export * from './metrics';
export * from './outbox';
export * from './runs';
