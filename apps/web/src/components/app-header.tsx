import Link from 'next/link';
import { signOutAction } from '~/app/actions';
import { Button } from './ui/button';

export function AppHeader({ email, isAdmin }: { email: string; isAdmin: boolean }) {
  return (
    <header className="border-b border-border bg-surface">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <nav aria-label="Main" className="flex items-center gap-4 text-sm">
          <Link href="/" className="font-semibold">
            Pocket Smyth
          </Link>
          {isAdmin ? (
            <>
              <Link href="/admin" className="text-muted hover:text-text">
                Approvals
              </Link>
              <Link href="/admin/activity" className="text-muted hover:text-text">
                Activity
              </Link>
            </>
          ) : null}
        </nav>
        <form action={signOutAction} className="flex items-center gap-3 text-sm">
          <span className="text-muted">{email}</span>
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </div>
    </header>
  );
}
