export * from './agents';
export * from './audit';
export * from './auth';
export * from './outbox';
