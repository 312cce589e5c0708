import { describe, expect, it } from 'vitest';
import { authEnv, authSettings } from '../src/env';

const secret = 'a-production-secret-of-32-chars!!';

describe('the auth env fragment', () => {
  it('makes the settings createAuth takes, with the secret and domain the app decides', () => {
    const env = authEnv.parse({
      ADMIN_EMAILS: ' Root@Example.com, ,ops@example.com',
      AUTH_URL: 'https://login.example.com',
      OIDC_ISSUER: 'https://issuer.example/v2.0/',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'shh',
    });
    expect(authSettings(env, { secret, domain: 'example.com' })).toEqual({
      secret,
      devLogin: true,
      adminEmails: ['root@example.com', 'ops@example.com'],
      oidc: {
        issuer: 'https://issuer.example/v2.0/',
        clientId: 'client',
        clientSecret: 'shh',
        name: 'Single sign-on',
      },
      domain: 'example.com',
      secureCookies: true,
      magicLinkMaxAge: 900,
    });
  });

  it('turns the development sign-in off in production, and there requires AUTH_SECRET', () => {
    expect(
      authSettings(authEnv.parse({ NODE_ENV: 'production', AUTH_SECRET: secret }), { secret, domain: null }),
    ).toMatchObject({ devLogin: false, oidc: null, secureCookies: false });
    const issues = authEnv.safeParse({ NODE_ENV: 'production', MAGIC_LINK_MAX_AGE_SECONDS: '-1' }).error
      ?.issues;
    expect(issues?.map((i) => i.path.join('.'))).toEqual(['MAGIC_LINK_MAX_AGE_SECONDS', 'AUTH_SECRET']);
  });

  it('names each OIDC variable missing from a partial provider', () => {
    const issues = authEnv.safeParse({ OIDC_CLIENT_ID: 'client' }).error?.issues;
    expect(issues?.map((i) => i.path.join('.'))).toEqual(['OIDC_ISSUER', 'OIDC_CLIENT_SECRET']);
  });
});
