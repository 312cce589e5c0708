'use client';

import { type ReactNode, useState } from 'react';
import { FilteredResults, filterInputClass, UrlFilterSelect } from '~/components/url-filter-fields';
import { useDebouncedParam, useUrlFilter } from '~/components/use-url-filter';
import { actorKinds, targetKinds } from './activity-kinds';

/**
 * The log's filters: they set the address's search params and the server renders the events for them
 * (`children`, dimmed until they have arrived). Dates are whole days where the viewer reads the times:
 * `?tz=` says the browser's zone, for a viewer who chose none.
 */
export function ActivityFilters({
  initial,
  children,
}: {
  initial: { action: string; actor: string; target: string; from: string; to: string };
  children: ReactNode;
}) {
  const filter = useUrlFilter();
  const [typedAction, setTypedAction] = useState(initial.action);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  useDebouncedParam(filter, 'action', typedAction, 300);
  const row = 'flex items-center gap-2';
  const setDay = (key: 'from' | 'to', value: string) =>
    filter.set({ [key]: value, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return (
    <>
      <div className="mb-4 flex flex-wrap gap-3 text-sm">
        <label className="flex items-center gap-2">
          Action
          <input
            className={filterInputClass}
            placeholder="person.approved"
            value={typedAction}
            onChange={(e) => setTypedAction(e.target.value)}
          />
        </label>
        <UrlFilterSelect
          filter={filter}
          param="actor"
          label="Actor"
          initial={initial.actor}
          labelClassName={row}
        >
          {actorKinds.map((k) => (
            <option key={k} value={k}>
              {k || 'anyone'}
            </option>
          ))}
        </UrlFilterSelect>
        <UrlFilterSelect
          filter={filter}
          param="target"
          label="Target"
          initial={initial.target}
          labelClassName={row}
        >
          {targetKinds.map((k) => (
            <option key={k} value={k}>
              {k || 'anything'}
            </option>
          ))}
        </UrlFilterSelect>
        <label className="flex items-center gap-2">
          From
          <input
            type="date"
            className={filterInputClass}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setDay('from', e.target.value);
            }}
          />
        </label>
        <label className="flex items-center gap-2">
          To
          <input
            type="date"
            className={filterInputClass}
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setDay('to', e.target.value);
            }}
          />
        </label>
      </div>
      <FilteredResults filter={filter}>{children}</FilteredResults>
    </>
  );
}
