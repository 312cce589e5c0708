'use client';

import { useEffect } from 'react';
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
    <main
      className="mx-auto flex min-h-[60vh] max-w-md flex-col justify-center gap-4 px-4 py-12"
      role="alert"
    >
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
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}
