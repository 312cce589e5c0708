import { auditEvents, sessions, users } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../src/adapter';
import { createDevSession } from '../src/dev-sign-in';
import { oidcProvider } from '../src/oidc';
import {
  hostSessionCookie,
  LEGACY_DOMAIN_SESSION_COOKIES,
  PORTAL_COOKIE_NAME,
  sessionCookie,
} from '../src/session-cookie';

let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeEach(async () => {
  handle = await createTestDb();
});
afterEach(() => handle.cleanup());

const on = { devLogin: true, adminEmails: ['boss@example.com'] };

describe('development sign-in', () => {
  it('is refused when turned off, and writes nothing', async () => {
    await expect(createDevSession(handle.db, { ...on, devLogin: false }, 'a@example.com')).rejects.toThrow(
      'disabled',
    );
    expect(await handle.db.select().from(users)).toHaveLength(0);
  });

  it('rejects a malformed address', async () => {
    await expect(createDevSession(handle.db, on, 'not an email')).rejects.toThrow('valid email');
    expect(await handle.db.select().from(users)).toHaveLength(0);
  });

  it('creates the person once (the first as admin), opens a database session each time, logs each sign-in', async () => {
    const first = await createDevSession(handle.db, on, 'First@Example.com');
    const again = await createDevSession(handle.db, on, 'first@example.com');
    expect(first.sessionToken).not.toBe(again.sessionToken);
    const people = await handle.db.select().from(users);
    expect(people).toEqual([
      expect.objectContaining({ email: 'first@example.com', role: 'admin', status: 'active' }),
    ]);
    const open = await handle.db.select().from(sessions).where(eq(sessions.userId, people[0]!.id));
    expect(open).toHaveLength(2);
    expect(open[0]!.expires.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const actions = (await handle.db.select().from(auditEvents)).map((e) => e.action).sort();
    expect(actions).toEqual(['person.signed_in', 'person.signed_in', 'person.signed_up']);
  });

  it('makes later people onboarding users, and ADMIN_EMAILS admins', async () => {
    await createDevSession(handle.db, on, 'first@example.com');
    await createDevSession(handle.db, on, 'second@example.com');
    await createDevSession(handle.db, on, 'boss@example.com');
    const byEmail = Object.fromEntries(
      (await handle.db.select().from(users)).map((u) => [u.email, `${u.role}/${u.status}`]),
    );
    expect(byEmail).toEqual({
      'first@example.com': 'admin/active',
      'second@example.com': 'user/onboarding',
      'boss@example.com': 'admin/active',
    });
  });
});

describe('the Auth.js adapter', () => {
  it('creates people through registration and finds them whatever the case of the address', async () => {
    const adapter = createAdapter(handle.db, { adminEmails: [] });
    const created = await adapter.createUser!({
      id: 'ignored',
      email: 'Mixed.Case@Example.com',
      emailVerified: null,
      name: 'Mixed Case',
    });
    expect(created.email).toBe('mixed.case@example.com');
    expect(await adapter.getUserByEmail!('MIXED.case@example.COM')).toMatchObject({ id: created.id });
    const [row] = await handle.db.select().from(users);
    expect(row).toMatchObject({ role: 'admin', status: 'active', name: 'Mixed Case' });
  });
});

describe('the session cookie and the host cookie', () => {
  it('are host-only in both modes: no Domain attribute, so a login.DOMAIN cookie never reaches {username}.DOMAIN', () => {
    expect(sessionCookie({ secureCookies: false })).toEqual({
      name: 'authjs.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false },
    });
    // Over https the __Host- prefix makes browsers refuse any Domain attribute, and any cookie tossed
    // in from a sibling host (an agent's page setting `Domain=.DOMAIN`) under that name.
    expect(sessionCookie({ secureCookies: true })).toEqual({
      name: '__Host-authjs.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
    expect(hostSessionCookie({ secureCookies: false })).toEqual({
      name: 'authjs.host-session',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false },
    });
    expect(hostSessionCookie({ secureCookies: true }).name).toBe('__Host-authjs.host-session');
    // Subdomain mode changes nothing about the cookie (the settings' domain is not even read).
    const settings = { domain: 'example.com', secureCookies: true };
    expect(sessionCookie(settings).options).not.toHaveProperty('domain');
    expect(hostSessionCookie(settings).options).not.toHaveProperty('domain');
  });

  it('are all matched by the one pattern proxies strip before /agent/*', () => {
    for (const secureCookies of [false, true]) {
      expect(sessionCookie({ secureCookies }).name).toMatch(PORTAL_COOKIE_NAME);
      expect(hostSessionCookie({ secureCookies }).name).toMatch(PORTAL_COOKIE_NAME);
    }
    for (const name of [
      ...LEGACY_DOMAIN_SESSION_COOKIES,
      '__Host-authjs.csrf-token',
      'authjs.callback-url',
    ]) {
      expect(name).toMatch(PORTAL_COOKIE_NAME);
    }
    for (const name of ['session', 'agent-authjs.x', 'xauthjs.session-token', '__Host-session']) {
      expect(name).not.toMatch(PORTAL_COOKIE_NAME);
    }
  });
});

describe('the OIDC provider', () => {
  const provider = oidcProvider({
    issuer: 'https://idp.example',
    clientId: 'c',
    clientSecret: 's',
    name: 'B2C',
  });

  it('takes the address from B2C’s `emails` claim when `email` is absent', async () => {
    const profile = await provider.profile!(
      { sub: 'abc', emails: ['b2c@example.com'], given_name: 'Ada', family_name: 'L' },
      {} as never,
    );
    expect(profile).toEqual({ id: 'abc', email: 'b2c@example.com', name: 'Ada L', image: null });
  });

  it('prefers `email`, as Entra External ID sends it', async () => {
    const profile = await provider.profile!({ sub: 'x', email: 'entra@example.com', name: 'E' }, {} as never);
    expect(profile.email).toBe('entra@example.com');
  });
});
