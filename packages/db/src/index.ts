export * from './client';
export * from './ids';
export * from './paths';
export * from './preferences';
export * as schema from './schema';
export * from './schema';
