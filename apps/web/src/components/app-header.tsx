import Link from 'next/link';
import { signOutAction } from '~/app/actions';
import {
  Activity,
  Bot,
  Boxes,
  ChartColumn,
  type Icon,
  LayoutDashboard,
  LogOut,
  Mail,
  Menu,
  PackageCheck,
  ReceiptText,
  Server,
  UserCheck,
  Users,
  X,
} from '~/components/icons';
import { Logo } from './logo';
import { MainMenu } from './main-menu';
import { NavLink } from './nav-link';
import { Button } from './ui/button';

// An admin has an agent of their own too: their dashboard comes first, then the admin panel.
const adminLinks: [string, string, Icon][] = [
  ['/', 'My agent', Bot],
  ['/admin', 'Overview', LayoutDashboard],
  ['/admin/approvals', 'Approvals', UserCheck],
  ['/admin/people', 'People', Users],
  ['/admin/usage', 'Usage', ChartColumn],
  ['/admin/agents', 'Agents', Boxes],
  ['/admin/hosts', 'Hosts', Server],
  ['/admin/rollouts', 'Rollouts', PackageCheck],
  ['/admin/plans', 'Plans', ReceiptText],
  ['/admin/activity', 'Activity', Activity],
  ['/admin/outbox', 'Outbox', Mail],
];

export function AppHeader({ email, isAdmin }: { email: string; isAdmin: boolean }) {
  return (
    <header className="relative border-b border-border bg-surface">
      <div className="mx-auto flex max-w-5xl items-center px-4 py-3 xl:max-w-7xl">
        <MainMenu
          collapsible={isAdmin}
          icons={{
            open: <Menu aria-hidden="true" className="size-4" />,
            close: <X aria-hidden="true" className="size-4" />,
          }}
          brand={
            <Link href="/" className="shrink-0 rounded-md">
              <Logo />
            </Link>
          }
        >
          {isAdmin
            ? adminLinks.map(([href, label, Icon]) => (
                <NavLink key={href} href={href} exact={href === '/admin' || href === '/'}>
                  {/* In the row (xl) the words alone fit; the folded panel keeps the icons. */}
                  <Icon aria-hidden="true" className="size-4 shrink-0 xl:hidden" />
                  {label}
                </NavLink>
              ))
            : null}
          <form
            action={signOutAction}
            className={`flex min-w-0 items-center justify-between gap-3 text-sm xl:ml-auto ${
              isAdmin ? 'mt-2 border-t border-border pt-3 xl:mt-0 xl:border-0 xl:pt-0' : ''
            }`}
          >
            <span
              className={`min-w-0 max-w-[10rem] truncate text-muted ${isAdmin ? 'xl:hidden 2xl:inline' : 'hidden sm:inline'}`}
              title={email}
            >
              {email}
            </span>
            <Button type="submit" variant="secondary" className="shrink-0">
              <LogOut aria-hidden="true" className="size-4" />
              Sign out
            </Button>
          </form>
        </MainMenu>
      </div>
    </header>
  );
}
