import 'server-only';
import { sessionCookie } from '@pocket-smyth/auth';
import {
  type EndedSessionNotice,
  findEndedSession,
  findHostSession,
  findPersonById,
  type Person,
} from '@pocket-smyth/core';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { classifyHost, HOST_SESSION_COOKIE_NAME } from './agent-access';
import { auth, authSettings } from './auth';
import { db } from './db';

/**
 * The signed-in person as stored now (not as the session remembers them); once per request. Pages,
 * tRPC (`trpc-context.ts`) and REST (`rest.ts`) all ask this, so it decides what a cookie grants where
 * (docs/ARCHITECTURE.md, "Security rules"):
 *
 * - local mode, `login.DOMAIN` and other hosts: the portal's session cookie (Auth.js).
 * - `{username}.DOMAIN`: that host's own cookie only (a portal cookie there is nobody). It grants what
 *   the host serves: the owner's portal and API, with their full rights; for an active admin on
 *   someone else's host, the read-only page the hostname proxy marked (`x-portal-read-only`, which
 *   it strips from what browsers send) and nothing else, so no API call and no admin procedure
 *   answers to an admin's cookie there.
 */
export const getViewer = cache(async (): Promise<Person | null> => {
  const h = await headers();
  const host = classifyHost(h.get('host'));
  if (host.kind === 'person') return viewerOnHost(host.username, h);
  const session = await auth();
  const id = session?.user?.id;
  return id ? ((await findPersonById(db, id)) ?? null) : null;
});

async function viewerOnHost(hostName: string, h: Headers): Promise<Person | null> {
  const token = (await cookies()).get(HOST_SESSION_COOKIE_NAME)?.value;
  const session = await findHostSession(db, { token, host: hostName });
  if (!session) return null;
  const person = await findPersonById(db, session.userId);
  if (!person) return null;
  if (person.username?.toLowerCase() === hostName) return person;
  const readOnlyView =
    h.get('x-portal-read-only') === '1' && h.get('x-portal-owner')?.toLowerCase() === hostName;
  return readOnlyView && person.role === 'admin' && person.status === 'active' ? person : null;
}

/** Where a person belongs given their state: every page redirects through this one rule. */
export function homeFor(person: Person | null): '/signin' | '/onboarding' | '/pending' | '/' {
  if (!person) return '/signin';
  if (person.status === 'active') return person.username ? '/' : '/onboarding';
  if (person.status === 'onboarding') return '/onboarding';
  return '/pending';
}

/**
 * For a signed-out visitor whose portal cookie belongs to a session an admin ended: why (the sign-in
 * page says it, so a revoked person's open tab does not just drop to sign-in). Only the holder of that
 * cookie learns it; the cookie itself grants nothing.
 */
export async function endedSessionNotice(): Promise<EndedSessionNotice | null> {
  const token = (await cookies()).get(sessionCookie(authSettings).name)?.value;
  return findEndedSession(db, token);
}
