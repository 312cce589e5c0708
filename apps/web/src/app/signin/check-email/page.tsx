import type { Metadata } from 'next';
import Link from 'next/link';
import { MailCheck } from '~/components/icons';
import { StatusScreen } from '~/components/status-screen';

export const metadata: Metadata = { title: 'Check your email' };

export default function CheckEmailPage() {
  return (
    <StatusScreen>
      <MailCheck aria-hidden="true" className="size-8 text-accent" />
      <h1 className="text-2xl font-semibold">Check your email</h1>
      <p className="text-muted">
        We sent you a sign-in link. It works once and expires soon. Nothing after a few minutes? Look in your
        spam folder, or ask whoever runs this Pocket Smyth.
      </p>
      <Link href="/signin" className="text-sm text-accent underline">
        Use another address
      </Link>
    </StatusScreen>
  );
}
