import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '@pocket-smyth/db';
import { env } from '~/env';

/**
 * AUTH_SECRET, or outside production a random one kept in .data/auth-secret, so a fresh clone signs
 * in without configuration and sessions survive restarts.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === 'production') return 'build-time-placeholder-never-used-to-sign-anything';
  const file = path.join(/*turbopackIgnore: true*/ dataDir(), 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
