'use client';

import { type ReactNode, useState } from 'react';
import type { useUrlFilter } from './use-url-filter';

type UrlFilter = ReturnType<typeof useUrlFilter>;

/** The look of a list's filter inputs and selects. */
export const filterInputClass = 'rounded-md border border-border bg-surface px-2 py-1';

/**
 * A labelled select that puts its choice into the address's `param` (a new choice starts the list from
 * its first page). It shows the choice at once; the list follows when the server has rendered it.
 */
export function UrlFilterSelect({
  filter,
  param,
  label,
  initial,
  labelClassName,
  children,
}: {
  filter: UrlFilter;
  param: string;
  label: string;
  initial: string;
  labelClassName: string;
  /** The `<option>`s; the empty value means "no filter". */
  children: ReactNode;
}) {
  const [value, setValue] = useState(initial);
  return (
    <label className={labelClassName}>
      {label}
      <select
        className={filterInputClass}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          filter.set({ [param]: e.target.value });
        }}
      >
        {children}
      </select>
    </label>
  );
}

/** The rows the server rendered for the current filters, dimmed and busy until the next ones arrive. */
export function FilteredResults({ filter, children }: { filter: UrlFilter; children: ReactNode }) {
  return (
    <div aria-busy={filter.pending} className={filter.pending ? 'opacity-60' : undefined}>
      {children}
    </div>
  );
}
