import Link from 'next/link';
import { signOutAction } from '~/app/actions';
import { NavLink } from './nav-link';
import { Button } from './ui/button';

const adminLinks = [
  ['/admin', 'Overview'],
  ['/admin/approvals', 'Approvals'],
  ['/admin/people', 'People'],
  ['/admin/hosts', 'Hosts'],
  ['/admin/activity', 'Activity'],
  ['/admin/outbox', 'Outbox'],
] as const;

export function AppHeader({ email, isAdmin }: { email: string; isAdmin: boolean }) {
  return (
    <header className="border-b border-border bg-surface">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
          <Link href="/" className="font-semibold">
            Pocket Smyth
          </Link>
          {isAdmin
            ? adminLinks.map(([href, label]) => (
                <NavLink key={href} href={href} exact={href === '/admin'}>
                  {label}
                </NavLink>
              ))
            : null}
        </nav>
        <form action={signOutAction} className="flex items-center gap-3 text-sm">
          <span className="max-w-[12rem] truncate text-muted">{email}</span>
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </div>
    </header>
  );
}
