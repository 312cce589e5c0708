/** The web app's composed configuration (src/env.ts): every fragment checked at once, defaults embedded. */
import { describe, expect, it } from 'vitest';
import { InvalidEnvError, parseWebEnv } from '../src/env';

const problemsOf = (source: Record<string, string>) => {
  try {
    parseWebEnv(source);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
};

describe('the web env', () => {
  it('starts with no configuration on the embedded defaults', () => {
    const env = parseWebEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      AUTH_DEV_LOGIN: true,
      PORT: 3000,
      API_TOKEN_MAX_DAYS: 365,
      RATE_LIMIT_PER_MINUTE: 600,
      AGENT_UPSTREAM_STRIP_PREFIX: false,
    });
    expect(env.LIBSQL_URL).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable at once, across fragments, the production secret included', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        RATE_LIMIT_PER_MINUTE: 'lots',
        DATABASE_URL: 'mysql://db/queue',
        OIDC_ISSUER: 'https://issuer.example',
        HOST_KEY_ENCRYPTION_KEY: 'too-short',
        AGENT_SECRETS_KEY: 'too-short',
        AGENT_UPSTREAM_STRIP_PREFIX: 'yes',
        PORT: '70000',
      }).sort(),
    ).toEqual(
      [
        'AUTH_SECRET',
        'RATE_LIMIT_PER_MINUTE',
        'DATABASE_URL',
        'OIDC_CLIENT_ID',
        'OIDC_CLIENT_SECRET',
        'HOST_KEY_ENCRYPTION_KEY',
        'AGENT_SECRETS_KEY',
        'AGENT_UPSTREAM_STRIP_PREFIX',
        'PORT',
      ].sort(),
    );
  });

  it('says what is wrong with each, in one message', () => {
    expect(() => parseWebEnv({ NODE_ENV: 'production', AUTH_URL: 'login.example.com' })).toThrow(
      [
        'Invalid configuration: 2 problem(s); .env.example describes every variable.',
        '  AUTH_URL: Invalid URL',
        '  AUTH_SECRET: AUTH_SECRET is required in production (32+ characters: openssl rand -base64 32)',
      ].join('\n'),
    );
  });

  it('reads an empty value as unset, as a .env copied from .env.example has them', () => {
    const env = parseWebEnv({ AUTH_URL: '', OIDC_ISSUER: ' ', PORT: '', DOMAIN: '' });
    expect(env.AUTH_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.DOMAIN).toBeUndefined();
  });

  it('never offers the development sign-in in production', async () => {
    const { devLoginEnabled } = await import('@pocket-smyth/auth/env');
    const secret = 'a-production-secret-of-32-chars!!';
    expect(devLoginEnabled(parseWebEnv({ NODE_ENV: 'production', AUTH_SECRET: secret }))).toBe(false);
    expect(devLoginEnabled(parseWebEnv({ AUTH_DEV_LOGIN: 'false' }))).toBe(false);
    expect(devLoginEnabled(parseWebEnv({}))).toBe(true);
  });
});
