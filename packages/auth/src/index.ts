export * from './adapter';
export * from './create-auth';
export * from './dev-sign-in';
export * from './session-cookie';
export type { AuthSettings } from './settings';
