'use client';

import { type ReactNode, useState } from 'react';
import { useDebouncedParam, useUrlFilter } from '~/components/use-url-filter';
import { type PersonStatusFilter, personStatuses } from './people-query';

const selectClass = 'rounded-md border border-border bg-surface px-2 py-1';

/**
 * Search and the status, role and plan filters: they set the address's `?q=`, `?status=`, `?role=` and
 * `?plan=`, and the server renders the list for them (`children`, dimmed until it has arrived).
 */
export function PeopleFilters({
  status: initialStatus,
  role: initialRole,
  planId: initialPlanId,
  search,
  counts,
  plans,
  children,
}: {
  status: PersonStatusFilter;
  role: string;
  planId: string;
  search: string;
  counts: Record<(typeof personStatuses)[number] | 'total', number>;
  plans: { id: string; name: string; people: number }[];
  children: ReactNode;
}) {
  const filter = useUrlFilter();
  const [typed, setTyped] = useState(search);
  const [status, setStatus] = useState(initialStatus);
  const [role, setRole] = useState(initialRole);
  const [planId, setPlanId] = useState(initialPlanId);
  useDebouncedParam(filter, 'q', typed, 250);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        {/* Wide enough for the whole placeholder; a line of its own on a phone. */}
        <label className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-64 sm:max-w-md sm:flex-1">
          Search
          <input
            type="search"
            className={selectClass}
            placeholder="email, username or name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          Status
          <select
            className={selectClass}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as PersonStatusFilter);
              filter.set({ status: e.target.value });
            }}
          >
            <option value="">all ({counts.total})</option>
            {personStatuses.map((s) => (
              <option key={s} value={s}>
                {s} ({counts[s]})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Role
          <select
            className={selectClass}
            value={role}
            onChange={(e) => {
              setRole(e.target.value);
              filter.set({ role: e.target.value });
            }}
          >
            <option value="">any</option>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Plan
          <select
            className={selectClass}
            value={planId}
            onChange={(e) => {
              setPlanId(e.target.value);
              filter.set({ plan: e.target.value });
            }}
          >
            <option value="">any</option>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.people})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div aria-busy={filter.pending} className={filter.pending ? 'opacity-60' : undefined}>
        {children}
      </div>
    </>
  );
}
