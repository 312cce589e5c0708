'use client';

import { type ReactNode, useState } from 'react';
import { FilteredResults, filterInputClass, UrlFilterSelect } from '~/components/url-filter-fields';
import { useDebouncedParam, useUrlFilter } from '~/components/use-url-filter';
import { type PersonStatusFilter, personStatuses } from './people-query';

const column = 'flex flex-col gap-1';

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
  useDebouncedParam(filter, 'q', typed, 250);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        {/* Wide enough for the whole placeholder; a line of its own on a phone. */}
        <label className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-64 sm:max-w-md sm:flex-1">
          Search
          <input
            type="search"
            className={filterInputClass}
            placeholder="email, username or name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <UrlFilterSelect
          filter={filter}
          param="status"
          label="Status"
          initial={initialStatus}
          labelClassName={column}
        >
          <option value="">all ({counts.total})</option>
          {personStatuses.map((s) => (
            <option key={s} value={s}>
              {s} ({counts[s]})
            </option>
          ))}
        </UrlFilterSelect>
        <UrlFilterSelect
          filter={filter}
          param="role"
          label="Role"
          initial={initialRole}
          labelClassName={column}
        >
          <option value="">any</option>
          <option value="user">user</option>
          <option value="admin">admin</option>
        </UrlFilterSelect>
        <UrlFilterSelect
          filter={filter}
          param="plan"
          label="Plan"
          initial={initialPlanId}
          labelClassName={column}
        >
          <option value="">any</option>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.people})
            </option>
          ))}
        </UrlFilterSelect>
      </div>
      <FilteredResults filter={filter}>{children}</FilteredResults>
    </>
  );
}
