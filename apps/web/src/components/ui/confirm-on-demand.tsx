'use client';

import { type ComponentProps, lazy, Suspense, useState } from 'react';
import type { ConfirmDialog } from './dialog';

const LoadedConfirmDialog = lazy(() => import('./dialog').then((m) => ({ default: m.ConfirmDialog })));

/**
 * `ConfirmDialog`, fetched the first time it opens rather than with the page (a page's first load
 * has about 2 kB to spare, docs/ARCHITECTURE.md "Portal pages"). Once opened it stays mounted, so
 * closing it returns focus to the button that opened it.
 */
export function ConfirmOnDemand(props: ComponentProps<typeof ConfirmDialog>) {
  const [wanted, setWanted] = useState(props.open);
  if (props.open && !wanted) setWanted(true);
  if (!wanted) return null;
  return (
    <Suspense fallback={null}>
      <LoadedConfirmDialog {...props} />
    </Suspense>
  );
}
