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
  // Relative redirects: back to the host the form was sent from (login.DOMAIN in subdomain mode), not to
  // the origin Next builds req.url from (the server's own name and port), where no cookie was set.
  try {
    const { sessionToken, expires } = await createDevSession(db, authSettings, email);
    const res = new NextResponse(null, { status: 303, headers: { location: '/' } });
    const cookie = sessionCookie(authSettings);
    res.cookies.set(cookie.name, sessionToken, { ...cookie.options, expires });
    return res;
  } catch (error) {
    const message =
      error instanceof ZodError ? (error.issues[0]?.message ?? 'Invalid email') : 'Sign-in failed';
    if (!(error instanceof ZodError)) console.error('[dev-login]', error);
    return new NextResponse(null, {
      status: 303,
      headers: { location: `/signin?${new URLSearchParams({ error: message })}` },
    });
  }
}
