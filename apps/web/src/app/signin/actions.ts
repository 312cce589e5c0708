'use server';

import { isMagicLinkRefused } from '@pocket-smyth/auth';
import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { signIn } from '~/server/auth';

const emailForm = z.object({ email: z.email('Enter a valid email address.').max(320) });

export async function emailSignInAction(formData: FormData) {
  const parsed = emailForm.safeParse({ email: formData.get('email') });
  if (!parsed.success) redirect(`/signin?error=${encodeURIComponent(parsed.error.issues[0]!.message)}`);
  try {
    // redirect:false: server-side signIn would otherwise send people to Auth.js's own verify page.
    await signIn('email', { email: parsed.data.email, redirectTo: '/', redirect: false });
  } catch (error) {
    // Over the sign-in links' limits: said plainly, the same whether or not the address has an account.
    if (isMagicLinkRefused(error)) {
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      redirect(`/signin?error=TooManyLinks&minutes=${minutes}`);
    }
    if (error instanceof AuthError)
      redirect(`/signin?error=${encodeURIComponent('Could not send the link.')}`);
    throw error;
  }
  redirect('/signin/check-email');
}

export async function oidcSignInAction() {
  await signIn('oidc', { redirectTo: '/' });
}
