import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dbSettings } from '@pocket-smyth/db/env';
import { env } from '~/env';

/**
 * AUTH_SECRET, or outside production a random one kept in DATA_DIR/auth-secret (.data/), so a fresh
 * clone signs in without configuration and sessions survive restarts. Production always has AUTH_SECRET:
 * env.ts refuses to start without it.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.join(/*turbopackIgnore: true*/ dbSettings(env).dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
