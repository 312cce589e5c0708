import type { RouterOutputs } from '@pocket-smyth/api';
import { ContactAdmin } from '~/components/contact-admin';
import { DateTime, TimeAgo } from '~/components/ui/time';

type Me = RouterOutputs['user']['me'];

/**
 * Where the person stands and what happens next, with how to reach an admin (ADMIN_CONTACT). Rendered
 * on the server; the page re-renders it every few seconds and moves on by itself once an admin approves.
 */
export function PendingStatus({ me, contact }: { me: Me; contact?: string }) {
  const { status, requestedAt, statusReason, username, preferences } = me;
  const name = preferences.displayName || username;

  if (status === 'rejected' || status === 'revoked') {
    return (
      <section className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">
          {status === 'rejected' ? 'Your request was not approved' : 'Your access was revoked'}
        </h1>
        <p className="text-muted">
          {name ? `${name}, ` : ''}
          {status === 'rejected'
            ? 'an admin decided not to give you an agent here.'
            : 'an admin withdrew your access. Your agent is stopped; its data is kept unless your account is deleted.'}
        </p>
        {statusReason ? (
          <p className="rounded-md border border-border bg-surface p-3">
            <span className="text-sm text-muted">Reason: </span>
            {statusReason}
          </p>
        ) : null}
        <ContactAdmin contact={contact}>
          {status === 'rejected'
            ? 'If you think this is a mistake, ask an admin to look again.'
            : 'If your access is restored, you get an email and your agent starts again.'}
        </ContactAdmin>
      </section>
    );
  }

  return (
    <section className="flex flex-col gap-3" aria-live="polite">
      <h1 className="text-2xl font-semibold">Waiting for approval</h1>
      <p className="text-muted">
        Thanks{name ? `, ${name}` : ''}. An admin will review your request
        {requestedAt ? (
          <>
            {' '}
            made <TimeAgo date={requestedAt} /> (
            <DateTime date={requestedAt} />)
          </>
        ) : null}
        .
      </p>
      <ol className="list-decimal space-y-1 pl-5 text-sm">
        <li>An admin approves your request (admins are told at once).</li>
        <li>
          Your agent is set up at <span className="font-mono">{username}</span>; this page moves on by itself
          and shows each step.
        </li>
      </ol>
      <ContactAdmin contact={contact}>
        You can close this page; you get an email when you are approved.
      </ContactAdmin>
    </section>
  );
}
