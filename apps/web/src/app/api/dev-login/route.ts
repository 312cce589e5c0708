import { createDevSession, sessionCookie } from '@pocket-smyth/auth';
import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import { authSettings } from '~/server/auth';
import { db } from '~/server/db';

/** Development sign-in by email alone. Answers 404 whenever it is off (always in production). */
export async function POST(req: Request) {
  if (!authSettings.devLogin) return new NextResponse('Not found', { status: 404 });
  const form = await req.formData();
  const email = String(form.get('email') ?? '');
  const base = new URL(req.url);
  try {
    const { sessionToken, expires } = await createDevSession(db, authSettings, email);
    const res = NextResponse.redirect(new URL('/', base), 303);
    const cookie = sessionCookie(authSettings);
    res.cookies.set(cookie.name, sessionToken, { ...cookie.options, expires });
    return res;
  } catch (error) {
    const message =
      error instanceof ZodError ? (error.issues[0]?.message ?? 'Invalid email') : 'Sign-in failed';
    if (!(error instanceof ZodError)) console.error('[dev-login]', error);
    const to = new URL('/signin', base);
    to.searchParams.set('error', message);
    return NextResponse.redirect(to, 303);
  }
}
