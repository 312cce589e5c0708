import type { RouterOutputs } from '@pocket-smyth/api';
import Link from 'next/link';
import { BulkErrorLine, BulkOutcomeLine, SelectAll, SelectRow } from '~/components/bulk-selection';
import { formatBytes } from '~/components/format';
import { Play, RotateCw, SearchX, Square } from '~/components/icons';
import { StatusBadge } from '~/components/ui/badge';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { AgentsControls, BulkCommands, FiltersForm, MoveAgentButton } from './agents-controls';
import { AGENTS_LIST_LIMIT, type AgentFilters, observedStates, sorts } from './agents-query';

type Row = RouterOutputs['admin']['agents']['list'][number];
type Host = RouterOutputs['admin']['hosts']['list'][number];

/**
 * Every agent: owner, host, wanted and observed state, CPU and memory now, the last run. Filter, sort,
 * select many and start, stop or restart them; each agent answers for itself (one in the wrong state
 * does not hold up the rest), and each change is a run in its owner's timeline. Rendered on the
 * server; the checkboxes, commands, filters and "Move…" are islands (agents-controls.tsx).
 */
export function AgentsTable({ rows, hosts, filters }: { rows: Row[]; hosts: Host[]; filters: AgentFilters }) {
  return (
    <AgentsControls
      rows={rows.map((r) => ({ id: r.id, name: r.username }))}
      hosts={hosts.map((h) => ({ id: h.id, name: h.name, status: h.status, freeCapacity: h.freeCapacity }))}
    >
      <Card
        title={`${rows.length}${rows.length === AGENTS_LIST_LIMIT ? '+' : ''} agent${rows.length === 1 ? '' : 's'}`}
        actions={
          <BulkCommands
            icons={{
              restart: <RotateCw aria-hidden="true" className="size-4" />,
              stop: <Square aria-hidden="true" className="size-4" />,
              start: <Play aria-hidden="true" className="size-4" />,
            }}
          />
        }
      >
        <Filters filters={filters} hosts={hosts} />
        <BulkOutcomeLine />
        <BulkErrorLine className="mb-4" />
        {rows.length === 0 ? (
          <EmptyState icon={SearchX}>No agent matches.</EmptyState>
        ) : (
          <ScrollArea label="Agents">
            <table className="stack-table w-full text-left text-sm">
              <thead className="text-muted">
                <tr>
                  <th className="w-8 py-2 pr-3">
                    <SelectAll label="Select all" />
                  </th>
                  <th className="py-2 pr-3 font-medium">Agent</th>
                  <th className="py-2 pr-3 font-medium">State</th>
                  <th className="py-2 pr-3 font-medium">Host</th>
                  <th className="py-2 pr-3 font-medium">CPU</th>
                  <th className="py-2 pr-3 font-medium">Memory</th>
                  <th className="py-2 font-medium">Last run</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-border" data-agent={r.username}>
                    <td data-label="Select" className="py-2 pr-3">
                      <SelectRow id={r.id} />
                    </td>
                    <td data-label="Agent" className="py-2 pr-3">
                      {r.personId ? (
                        <Link
                          href={`/admin/people/${r.personId}`}
                          className="font-mono font-medium text-accent hover:underline"
                        >
                          {r.username}
                        </Link>
                      ) : (
                        <span className="font-mono">{r.username}</span>
                      )}
                      {r.email ? <div className="break-all text-xs text-muted">{r.email}</div> : null}
                    </td>
                    <td data-label="State" className="py-2 pr-3">
                      <span className="flex flex-wrap items-center gap-1">
                        <StatusBadge status={r.observedState} />
                        {r.observedState !== r.desiredState ? (
                          <span className="text-xs text-muted">wanted {r.desiredState}</span>
                        ) : null}
                      </span>
                      <span className="text-xs text-muted">
                        since <TimeAgo date={r.observedAt} />
                      </span>
                    </td>
                    <td data-label="Host" className="py-2 pr-3">
                      {r.host?.name ?? '—'}
                      {/* The image its container was made from: who is on what during a rollout. */}
                      {r.runningImage ? (
                        <div className="break-all font-mono text-xs text-muted" title="Image">
                          {r.runningImage}
                          {r.imageOverride ? ' (own)' : ''}
                        </div>
                      ) : null}
                      {r.host ? (
                        <div>
                          <MoveAgentButton agentId={r.id} username={r.username} hostId={r.host.id} />
                        </div>
                      ) : null}
                    </td>
                    <td data-label="CPU" className="py-2 pr-3 whitespace-nowrap">
                      {r.now?.cpuPercent != null ? `${r.now.cpuPercent.toFixed(1)} %` : '—'}
                    </td>
                    <td data-label="Memory" className="py-2 pr-3 whitespace-nowrap">
                      {r.now?.memoryBytes != null ? formatBytes(r.now.memoryBytes) : '—'}
                    </td>
                    <td data-label="Last run" className="py-2">
                      {r.lastRun ? (
                        <span className="flex flex-wrap items-center gap-1">
                          <span className="capitalize">{r.lastRun.kind}</span>
                          <StatusBadge status={r.lastRun.status} />
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </Card>
    </AgentsControls>
  );
}

const selectClass = 'rounded-md border border-border bg-surface px-2 py-1';

/**
 * Search, state, host and sort, as the URL has them. The fields are uncontrolled, so what is typed
 * stays while the list re-renders; FiltersForm puts each choice into the URL.
 */
function Filters({ filters, hosts }: { filters: AgentFilters; hosts: Host[] }) {
  return (
    <FiltersForm>
      <label className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-56 sm:flex-1">
        Search
        <input
          type="search"
          name="q"
          className={selectClass}
          placeholder="username or email"
          defaultValue={filters.q}
        />
      </label>
      <label className="flex flex-col gap-1">
        State
        <select name="state" className={selectClass} defaultValue={filters.state}>
          <option value="">any</option>
          <option value="drifted">not as wanted</option>
          {observedStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        Host
        <select name="host" className={selectClass} defaultValue={filters.hostId}>
          <option value="">any</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        Sort by
        <select name="sort" className={selectClass} defaultValue={filters.sort}>
          {sorts.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </label>
    </FiltersForm>
  );
}
