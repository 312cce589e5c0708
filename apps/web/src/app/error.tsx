'use client';

import { RotateCcw, TriangleAlert } from 'lucide-react';
import { useEffect } from 'react';
import { StatusScreen } from '~/components/status-screen';
import { Button } from '~/components/ui/button';

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
      <TriangleAlert aria-hidden="true" className="size-8 text-danger" />
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
          <RotateCcw aria-hidden="true" className="size-4" />
          Try again
        </Button>
      </div>
    </StatusScreen>
  );
}
