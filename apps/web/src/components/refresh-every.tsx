'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Re-renders the page's server components every `ms` while the tab is visible, for pages whose figures
 * are read on the server (host stats, the overview's counts) and would otherwise stay as first loaded
 * beside parts that poll.
 */
export function RefreshEvery({ ms }: { ms: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, router]);
  return null;
}
