import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not found' };

/** Also what a non-admin gets for an admin page: a 404 that tells them nothing more. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-4 py-12">
      <p className="font-mono text-sm text-muted">404</p>
      <h1 className="text-2xl font-semibold">There is nothing here</h1>
      <p className="text-muted">The address may be mistyped, or the page may have moved.</p>
      <Link href="/" className="text-sm text-accent underline">
        Back to your dashboard
      </Link>
    </main>
  );
}
