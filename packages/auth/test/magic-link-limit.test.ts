/**
 * Sign-in links are limited per email address (MAGIC_LINK_PER_HOUR) and per client address
 * (MAGIC_LINK_PER_IP_PER_HOUR), through the real Auth.js handler createAuth builds: a refused request
 * writes no outbox row and says the same whether or not the address has an account.
 */
import { outbox } from '@pocket-smyth/db';
import { createTestDb } from '@pocket-smyth/db/testing';
import { createMailer } from '@pocket-smyth/email';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdapter } from '../src/adapter';
import { createAuth } from '../src/create-auth';
import { authEnv, authSettings, magicLinkLimits } from '../src/env';
import { isMagicLinkRefused, limitMagicLinks, MagicLinkRefused } from '../src/magic-link';

let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeEach(async () => {
  handle = await createTestDb();
  // Auth.js logs every refused request as an error; keep the test output readable.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  handle.cleanup();
});

const secret = 'a-test-secret-of-at-least-32-characters';
const ORIGIN = 'http://localhost:3000';

/**
 * Auth.js wired as apps/web/src/server/auth.ts wires it: the mailer behind the sign-in-link limits, the
 * client's address as the request gives it (here: its X-Forwarded-For, set per request below).
 */
function authFor(env: Record<string, string> = {}) {
  const parsed = authEnv.parse({ NODE_ENV: 'test', ...env });
  const mailer = createMailer({ db: handle.db, from: 'Pocket Smyth <local@localhost>', log: () => {} });
  const limited = limitMagicLinks(mailer, {
    db: handle.db,
    limits: magicLinkLimits(parsed),
    clientAddress: async () => currentClient,
  });
  return createAuth(handle.db, limited, authSettings(parsed, { secret, domain: null }));
}
let currentClient: string | null = null;

/** The browser's part of an email sign-in: fetch the CSRF token, then post the form to Auth.js. */
async function askForLink(auth: ReturnType<typeof authFor>, email: string, ip = '203.0.113.9') {
  currentClient = ip;
  const csrf = await auth.handlers.GET(new Request(`${ORIGIN}/api/auth/csrf`) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await auth.handlers.POST(
    new Request(`${ORIGIN}/api/auth/signin/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: `${ORIGIN}/` }),
    }) as never,
  );
  return { status: res.status, location: res.headers.get('location') ?? '' };
}

async function linksTo(email: string): Promise<number> {
  return handle.db.$count(outbox, eq(outbox.to, email));
}

const sentPage = '/api/auth/verify-request';

describe('magic-link requests', () => {
  it('are refused past MAGIC_LINK_PER_HOUR for one address, writing no outbox row', async () => {
    const auth = authFor({ MAGIC_LINK_PER_HOUR: '5' });
    for (let i = 0; i < 5; i++) {
      // From different client addresses: the limit is the email address's.
      const res = await askForLink(auth, 'Someone@Example.com', `203.0.113.${10 + i}`);
      expect(res.location).toContain(sentPage);
    }
    expect(await linksTo('someone@example.com')).toBe(5);

    const refused = await askForLink(auth, 'someone@example.com', '203.0.113.99');
    // Back to the sign-in page with an error (not the server-fault page), and no mail.
    expect(refused.status).toBe(302);
    expect(refused.location).toBe(`${ORIGIN}/signin?error=AccessDenied`);
    expect(await linksTo('someone@example.com')).toBe(5);

    // Another address is not affected.
    expect((await askForLink(auth, 'other@example.com', '203.0.113.99')).location).toContain(sentPage);
  });

  it('say the same for an address with an account as for one without', async () => {
    const auth = authFor({ MAGIC_LINK_PER_HOUR: '1' });
    await createAdapter(handle.db, { adminEmails: [] }).createUser!({
      id: 'ignored',
      email: 'known@example.com',
      emailVerified: null,
    });
    const answers = [];
    for (const email of ['known@example.com', 'unknown@example.com']) {
      expect((await askForLink(auth, email, '198.51.100.1')).location).toContain(sentPage);
      answers.push(await askForLink(auth, email, '198.51.100.2'));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.location).toContain('error=AccessDenied');
  });

  it('are refused past MAGIC_LINK_PER_IP_PER_HOUR from one client address, whatever the email', async () => {
    const auth = authFor({ MAGIC_LINK_PER_IP_PER_HOUR: '3' });
    for (let i = 0; i < 3; i++) {
      expect((await askForLink(auth, `person${i}@example.com`, '192.0.2.50')).location).toContain(sentPage);
    }
    expect((await askForLink(auth, 'person9@example.com', '192.0.2.50')).location).toContain(
      'error=AccessDenied',
    );
    expect(await linksTo('person9@example.com')).toBe(0);
    // The refusal spent nothing of that address's own budget; another client still gets its link.
    expect((await askForLink(auth, 'person9@example.com', '192.0.2.51')).location).toContain(sentPage);
  });

  it('tell the sign-in form’s server action why, and for how long', async () => {
    const mailer = createMailer({ db: handle.db, from: 'x <x@localhost>', log: () => {} });
    const limited = limitMagicLinks(mailer, {
      db: handle.db,
      limits: magicLinkLimits({ MAGIC_LINK_PER_HOUR: 1, MAGIC_LINK_PER_IP_PER_HOUR: 10 }),
      clientAddress: async () => null,
    });
    const mail = {
      kind: 'magic_link',
      to: 'a@example.com',
      data: { url: 'http://x/', expiresInMinutes: 15 },
    } as const;
    await limited.send(mail);
    const error = await limited.send(mail).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MagicLinkRefused);
    expect(isMagicLinkRefused(error)).toBe(true);
    expect((error as MagicLinkRefused).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as MagicLinkRefused).retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(isMagicLinkRefused(new Error('other'))).toBe(false);
    // Other mail is not counted.
    await limited.send({ kind: 'magic_link', to: 'b@example.com', data: mail.data });
    expect(await handle.db.$count(outbox)).toBe(2);
  });
});
