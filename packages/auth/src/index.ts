export * from './adapter';
export * from './create-auth';
export * from './dev-sign-in';
export {
  isMagicLinkRefused,
  limitMagicLinks,
  type MagicLinkLimiter,
  type MagicLinkLimits,
  MagicLinkRefused,
} from './magic-link';
export * from './session-cookie';
export type { AuthSettings } from './settings';
