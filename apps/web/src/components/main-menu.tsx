'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * The header's navigation. From the xl breakpoint up (an admin's eleven links need the width) the links sit in a row; below it they fold behind
 * a menu button (aria-expanded, aria-controls) that opens them as a panel under the header. The panel
 * closes on navigation, on Escape (focus goes back to the button) and on a click outside.
 */
export function MainMenu({
  brand,
  icons,
  collapsible = true,
  children,
}: {
  brand: ReactNode;
  /** The button's icons, rendered by the server component that renders the menu (no icon code here). */
  icons: { open: ReactNode; close: ReactNode };
  /** Without links to fold (a person's header holds only the account), the row stays as it is. */
  collapsible?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const pathname = usePathname();
  const button = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);

  // A new page closes the menu; the pathname is the trigger, not a value read inside.
  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (nav.current && !nav.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <nav ref={nav} aria-label="Main" className="flex min-w-0 flex-1 items-center justify-between gap-4">
      {brand}
      {collapsible ? (
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          className="inline-flex items-center gap-1.5 rounded-md border border-border px-3 py-1.5 text-sm font-medium xl:hidden"
        >
          {open ? icons.close : icons.open}
          Menu
        </button>
      ) : null}
      <div
        id={panelId}
        className={
          collapsible
            ? `${open ? 'flex' : 'hidden'} absolute inset-x-0 top-full z-40 flex-col gap-1 border-b border-border bg-surface px-4 py-3 shadow-md xl:static xl:z-auto xl:flex xl:flex-1 xl:flex-row xl:flex-wrap xl:items-center xl:gap-x-4 xl:gap-y-1 xl:border-0 xl:bg-transparent xl:p-0 xl:shadow-none`
            : 'flex min-w-0 flex-1 items-center justify-end'
        }
      >
        {children}
      </div>
    </nav>
  );
}
