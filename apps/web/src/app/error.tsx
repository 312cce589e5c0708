'use client';

import { useEffect } from 'react';
import { StatusScreen } from '~/components/status-screen';
import { Button } from '~/components/ui/button';

// Lucide's triangle-alert and rotate-ccw drawn inline: this boundary is in every page's first load,
// and taking them from components/icons.ts made every page 0.3 kB heavier (measured on the dashboard,
// `pnpm bench pages`), a quarter of what is left under the 1.10× line.
const iconAttributes = {
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

/**
 * A page that failed on the server or while rendering: say so in words, offer a retry, and give the
 * reference an operator can find in the server log (Next's digest), never the error's own text.
 */
export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <StatusScreen role="alert">
      <svg aria-hidden="true" {...iconAttributes} className="size-8 text-danger">
        <path d="m21.73 18-8-14a2 2 0 0 0-3.48 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.73-3" />
        <path d="M12 9v4" />
        <path d="M12 17h.01" />
      </svg>
      <h1 className="text-2xl font-semibold">This page could not load</h1>
      <p className="text-muted">
        Something went wrong on our side. Trying again usually helps; if it keeps happening, tell your
        operator
        {error.digest ? (
          <>
            {' '}
            and quote <span className="font-mono">{error.digest}</span>
          </>
        ) : null}
        .
      </p>
      <div>
        <Button onClick={reset}>
          <svg aria-hidden="true" {...iconAttributes} className="size-4">
            <path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8" />
            <path d="M3 3v5h5" />
          </svg>
          Try again
        </Button>
      </div>
    </StatusScreen>
  );
}
