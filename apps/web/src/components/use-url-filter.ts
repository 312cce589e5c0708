'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useTransition } from 'react';
import { useDebounced } from './use-debounced';

/**
 * A list's filters live in its address's search params, read by the server component that renders the
 * list. `set` replaces them (a new filter starts again from the first page) and `pending` is true
 * until the list for them has arrived, so the island can dim the rows still shown.
 */
export function useUrlFilter() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  function set(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete('pages');
    const query = next.toString();
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }
  return { set, pending, value: (key: string) => params.get(key) ?? '' };
}

/** Puts what is typed into `key` once typing pauses, not on every keystroke. */
export function useDebouncedParam(
  filter: ReturnType<typeof useUrlFilter>,
  key: string,
  typed: string,
  ms: number,
) {
  const value = useDebounced(typed.trim(), ms);
  const current = filter.value(key);
  // Only a new debounced value asks again: the address changing for another filter must not.
  useEffect(() => {
    if (value !== current) filter.set({ [key]: value });
  }, [value]);
}
