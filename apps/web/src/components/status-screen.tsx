import type { ReactNode } from 'react';
import { Logo } from './logo';

/**
 * The frame of the screens outside the portal (sign-in, check your email, waiting for approval, an
 * error, a missing page): the mark and the name, one line of what Pocket Smyth is, and the screen's own
 * content in a card in the middle, so it does not float alone on an empty page.
 */
export function StatusScreen({
  children,
  width = 'md',
  role,
}: {
  children: ReactNode;
  /** The pending screen holds more (the request, preferences) and takes a wider card. */
  width?: 'md' | 'lg';
  role?: 'alert';
}) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 bg-radial-[at_50%_0%] from-accent/10 via-transparent to-transparent px-4 py-12">
      <div className="flex flex-col items-center gap-2 text-center">
        <Logo size="lg" />
        <p className="text-sm text-muted">Your own AI agent, run for you by your operator.</p>
      </div>
      <div
        role={role}
        className={`flex w-full flex-col gap-4 rounded-lg border border-border bg-surface p-6 shadow-sm sm:p-8 ${
          width === 'lg' ? 'max-w-lg' : 'max-w-md'
        }`}
      >
        {children}
      </div>
    </main>
  );
}
