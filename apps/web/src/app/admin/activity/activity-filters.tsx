'use client';

import { type ReactNode, useState } from 'react';
import { useDebouncedParam, useUrlFilter } from '~/components/use-url-filter';
import { actorKinds, targetKinds } from './activity-kinds';

const inputClass = 'rounded-md border border-border bg-surface px-2 py-1';

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
  const [actor, setActor] = useState(initial.actor);
  const [target, setTarget] = useState(initial.target);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  useDebouncedParam(filter, 'action', typedAction, 300);
  const setDay = (key: 'from' | 'to', value: string) =>
    filter.set({ [key]: value, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return (
    <>
      <div className="mb-4 flex flex-wrap gap-3 text-sm">
        <label className="flex items-center gap-2">
          Action
          <input
            className={inputClass}
            placeholder="person.approved"
            value={typedAction}
            onChange={(e) => setTypedAction(e.target.value)}
          />
        </label>
        <label className="flex items-center gap-2">
          Actor
          <select
            className={inputClass}
            value={actor}
            onChange={(e) => {
              setActor(e.target.value);
              filter.set({ actor: e.target.value });
            }}
          >
            {actorKinds.map((k) => (
              <option key={k} value={k}>
                {k || 'anyone'}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Target
          <select
            className={inputClass}
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              filter.set({ target: e.target.value });
            }}
          >
            {targetKinds.map((k) => (
              <option key={k} value={k}>
                {k || 'anything'}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          From
          <input
            type="date"
            className={inputClass}
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
            className={inputClass}
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setDay('to', e.target.value);
            }}
          />
        </label>
      </div>
      <div aria-busy={filter.pending} className={filter.pending ? 'opacity-60' : undefined}>
        {children}
      </div>
    </>
  );
}
