'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/**
 * A header link that marks the section being viewed (`aria-current="page"`, underlined): the section's
 * own page and the pages under it, e.g. People for /admin/people/{id}. `exact` is for a section whose
 * path prefixes the others (the overview at /admin).
 */
export function NavLink({ href, exact, children }: { href: string; exact?: boolean; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || (!exact && pathname.startsWith(`${href}/`));
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`inline-flex items-center gap-1.5 py-2 xl:py-0 ${
        current
          ? 'font-medium text-text underline decoration-accent decoration-2 underline-offset-[6px]'
          : 'text-muted hover:text-text'
      }`}
    >
      {children}
    </Link>
  );
}
