import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusScreen } from '~/components/status-screen';

export const metadata: Metadata = { title: 'Not found' };

/** Also what a non-admin gets for an admin page: a 404 that tells them nothing more. */
export default function NotFound() {
  return (
    <StatusScreen>
      <p className="font-mono text-sm text-muted">404</p>
      <h1 className="text-2xl font-semibold">There is nothing here</h1>
      <p className="text-muted">The address may be mistyped, or the page may have moved.</p>
      <Link href="/" className="text-sm text-accent underline">
        Back to your dashboard
      </Link>
    </StatusScreen>
  );
}
