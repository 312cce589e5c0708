import path from 'node:path';
import { createClient } from '@libsql/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppServer, freePort, startApp } from '../src/app-server';
import { launchBrowser } from '../src/browser';
import { type FakeIdp, startFakeIdp } from '../src/oidc-idp';

let app: AppServer;
let idp: FakeIdp;
let browser: Browser;

beforeAll(async () => {
  const appPort = await freePort();
  idp = await startFakeIdp(await freePort(), `http://localhost:${appPort}/api/auth/callback/oidc`);
  app = await startApp(
    {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: 'Test IdP',
    },
    appPort,
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await idp?.stop();
});

test('sign-in through a B2C-like OIDC provider creates the person from the `emails` claim', async () => {
  const page = await browser.newPage();
  await page.goto(`${app.baseUrl}/signin`);
  await page.getByRole('button', { name: 'Continue with Test IdP' }).click();

  // oidc-provider's development login and consent screens.
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name="login"]').fill('Carol@Example.com');
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();

  // First person on this install: an admin who only picks a username.
  await page.waitForURL(`${app.baseUrl}/onboarding`);
  const db = createClient({ url: `file:${path.join(app.dataDir, 'app.db')}` });
  try {
    const person = await db.execute(
      "select id, email, role, status from users where email = 'carol@example.com'",
    );
    expect(person.rows).toHaveLength(1);
    expect(person.rows[0]).toMatchObject({ role: 'admin', status: 'active' });
    const account = await db.execute({
      sql: 'select provider, provider_account_id from accounts where user_id = ?',
      args: [person.rows[0]!.id as string],
    });
    expect(account.rows).toEqual([
      expect.objectContaining({ provider: 'oidc', provider_account_id: 'Carol@Example.com' }),
    ]);
  } finally {
    db.close();
  }
  await page.close();
});
