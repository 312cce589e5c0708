import type { ReactNode } from 'react';

/**
 * A horizontally scrolling region for wide tables on narrow screens. It takes focus so keyboard users
 * can scroll it too, and is labelled so screen readers announce what it holds.
 */
export function ScrollArea({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section aria-label={label} tabIndex={0} className="overflow-x-auto">
      {children}
    </section>
  );
}
