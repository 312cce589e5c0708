import 'server-only';
import { clientIpFrom } from '@pocket-smyth/api';
import { type AuthSettings, createAuth, hostSessionCookie, limitMagicLinks } from '@pocket-smyth/auth';
import { authSettings as authSettingsOf, magicLinkLimits } from '@pocket-smyth/auth/env';
import { signOutHostSession } from '@pocket-smyth/core';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '~/env';
import { classifyHost, subdomainOrigin } from './agent-access';
import { authSecret } from './auth-secret';
import { db } from './db';
import { mailer } from './mailer';
import { requestServices } from './request-services';

export const authSettings: AuthSettings = authSettingsOf(env, {
  secret: authSecret(),
  domain: env.DOMAIN ?? null,
});

/**
 * Sign-in links go out through their limits (MAGIC_LINK_PER_HOUR per email address,
 * MAGIC_LINK_PER_IP_PER_HOUR per client address, found by the same rule as the API's), whether asked
 * for by the sign-in form's server action or by a POST to Auth.js's own route: both run in a request.
 */
const signInMailer = limitMagicLinks(mailer, {
  db,
  limits: magicLinkLimits(env),
  clientAddress: async () => clientIpFrom(await headers(), requestServices.clientAddress),
});

const nextAuth = createAuth(db, signInMailer, authSettings);

export const { handlers, auth, signIn } = nextAuth;

/**
 * Signing out, wherever the button was pressed. Auth.js knows the portal's session cookie, which in
 * subdomain mode lives on `login.DOMAIN` only; on a `{username}.DOMAIN` the host's own cookie names the
 * portal session it came from, and that session ends (with every host session made from it: signing
 * out means everywhere), then the browser goes to `login.DOMAIN`.
 */
export async function signOut(options: { redirectTo?: string } = {}): Promise<void> {
  const host = classifyHost((await headers()).get('host'));
  if (host.kind !== 'person') {
    await nextAuth.signOut(options);
    return;
  }
  const jar = await cookies();
  const cookie = hostSessionCookie(authSettings);
  await signOutHostSession(db, { token: jar.get(cookie.name)?.value, host: host.username });
  jar.delete({ name: cookie.name, ...cookie.options });
  const scheme = (await headers()).get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  redirect(`${subdomainOrigin('login', `${scheme}:`)}${options.redirectTo ?? '/signin'}`);
}
