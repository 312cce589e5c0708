'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { signOutAction } from '~/app/actions';
import { Button } from '~/components/ui/button';
import { DateTime, TimeAgo } from '~/components/ui/time';
import { useTRPC } from '~/trpc/react';

/** Polls the person's own status and moves on by itself once an admin approves them. */
export function PendingStatus() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery({ ...trpc.user.me.queryOptions(), refetchInterval: 3_000 });
  const status = me.data?.status;

  useEffect(() => {
    if (status === 'active') router.replace('/');
  }, [status, router]);

  if (!me.data) return <p className="text-muted">Loading…</p>;
  const { requestedAt, statusReason, username } = me.data;

  if (status === 'rejected' || status === 'revoked') {
    return (
      <section className="flex flex-col gap-3">
        <h1 className="text-2xl font-semibold">
          {status === 'rejected' ? 'Your request was not approved' : 'Your access was revoked'}
        </h1>
        {statusReason ? (
          <p className="rounded-md border border-border bg-surface p-3">
            <span className="text-sm text-muted">Reason: </span>
            {statusReason}
          </p>
        ) : null}
        <form action={signOutAction}>
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </section>
    );
  }

  return (
    <section className="flex flex-col gap-3" aria-live="polite">
      <h1 className="text-2xl font-semibold">Waiting for approval</h1>
      <p className="text-muted">
        Thanks{username ? `, ${username}` : ''}. An admin will review your request
        {requestedAt ? (
          <>
            {' '}
            made <TimeAgo date={requestedAt} /> (
            <DateTime date={requestedAt} />)
          </>
        ) : null}
        . This page moves on by itself once you are approved.
      </p>
      <form action={signOutAction}>
        <Button type="submit" variant="secondary">
          Sign out
        </Button>
      </form>
    </section>
  );
}
