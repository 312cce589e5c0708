import { enabledSignInMethods } from '@pocket-smyth/auth';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ContactAdmin } from '~/components/contact-admin';
import { StatusScreen } from '~/components/status-screen';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { env } from '~/env';
import { authSettings } from '~/server/auth';
import { endedSessionNotice, getViewer, homeFor } from '~/server/viewer';
import { emailSignInAction, oidcSignInAction } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

const authErrors: Record<string, string> = {
  Verification: 'That sign-in link has expired or was already used. Ask for a new one.',
  OAuthAccountNotLinked: 'This address is linked to another sign-in method.',
  AccessDenied: 'Sign-in was refused. If you asked for several sign-in links, wait a while and try again.',
  TooManyLinks: 'Too many sign-in links were asked for. Wait a while, then ask for a new one.',
  Configuration: 'Sign-in is misconfigured on the server.',
};

/** The sign-in-link refusal says how long to wait, when the form's action knew it. */
function tooManyLinks(minutes: string | undefined): string {
  const n = Number(minutes);
  if (!Number.isInteger(n) || n < 1 || n > 24 * 60) return authErrors.TooManyLinks!;
  return `Too many sign-in links were asked for. Try again in ${n} minute${n === 1 ? '' : 's'}.`;
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; minutes?: string }>;
}) {
  const viewer = await getViewer();
  if (viewer) redirect(homeFor(viewer));
  const [{ error, minutes }, ended] = await Promise.all([searchParams, endedSessionNotice()]);
  const methods = enabledSignInMethods(authSettings);
  const message =
    error === 'TooManyLinks' ? tooManyLinks(minutes) : error ? (authErrors[error] ?? error) : null;

  return (
    <StatusScreen>
      {ended ? <SignedOutByAdmin notice={ended} contact={env.ADMIN_CONTACT} /> : null}
      <div>
        <h1 className="text-2xl font-semibold">Sign in to Pocket Smyth</h1>
        <p className="mt-1 text-sm text-muted">We email you a link; no password to remember.</p>
      </div>
      {message ? (
        <p
          role="alert"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {message}
        </p>
      ) : null}
      {methods.oidc ? (
        <form action={oidcSignInAction}>
          <Button type="submit" className="w-full">
            Continue with {methods.oidc.name}
          </Button>
        </form>
      ) : null}
      <form action={emailSignInAction} className="flex flex-col gap-3">
        <Field id="email" name="email" type="email" label="Email" autoComplete="email" required />
        <Button type="submit">Email me a sign-in link</Button>
      </form>
      {methods.dev ? (
        <form
          action="/api/dev-login"
          method="post"
          className="flex flex-col gap-3 rounded-lg border border-dashed border-warn/60 p-5"
        >
          <Field
            id="dev-email"
            name="email"
            type="email"
            label="Development sign-in"
            hint="Signs in as any address without a link. Off in production."
            required
          />
          <Button type="submit" variant="secondary">
            Sign in without a link
          </Button>
        </form>
      ) : null}
    </StatusScreen>
  );
}

/**
 * A tab whose session an admin ended lands here (its next request finds no session): it says why,
 * rather than showing a bare sign-in form. `notice.person` is as they are now: restored since, they
 * are told to sign in again.
 */
function SignedOutByAdmin({
  notice,
  contact,
}: {
  notice: NonNullable<Awaited<ReturnType<typeof endedSessionNotice>>>;
  contact: string | undefined;
}) {
  const { person } = notice;
  const name = person.preferences.displayName || person.username;
  if (person.status === 'active') {
    return (
      <section role="status" className="rounded-md border border-border bg-surface p-4 text-sm">
        You were signed out when an admin revoked your access. It has been restored since: sign in again.
      </section>
    );
  }
  return (
    <section
      role="alert"
      aria-labelledby="signed-out-title"
      className="flex flex-col gap-2 rounded-md border border-danger/40 bg-danger/10 p-4"
      data-testid="signed-out-by-admin"
    >
      <h2 id="signed-out-title" className="font-semibold">
        Your access was revoked
      </h2>
      <p className="text-sm">
        {name ? `${name}, ` : ''}an admin withdrew your access, so you were signed out. Your agent is stopped;
        its data is kept unless your account is deleted.
      </p>
      {person.statusReason ? (
        <p className="text-sm">
          <span className="text-muted">Reason: </span>
          {person.statusReason}
        </p>
      ) : null}
      <ContactAdmin contact={contact}>
        If your access is restored, you get an email and your agent starts again.
      </ContactAdmin>
    </section>
  );
}
