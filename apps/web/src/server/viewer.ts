import 'server-only';
import { findPersonById, type Person } from '@pocket-smyth/core';
import { cache } from 'react';
import { auth } from './auth';
import { db } from './db';

/** The signed-in person as stored now (not as the session remembers them); once per request. */
export const getViewer = cache(async (): Promise<Person | null> => {
  const session = await auth();
  const id = session?.user?.id;
  return id ? ((await findPersonById(db, id)) ?? null) : null;
});

/** Where a person belongs given their state: every page redirects through this one rule. */
export function homeFor(person: Person | null): '/signin' | '/onboarding' | '/pending' | '/' {
  if (!person) return '/signin';
  if (person.status === 'active') return person.username ? '/' : '/onboarding';
  if (person.status === 'onboarding') return '/onboarding';
  return '/pending';
}
