'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Play, RotateCw, SearchX, Square } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { type BulkOutcome, type BulkOutcomeNote, outcomeText, outcomeTone } from '~/components/bulk-outcome';
import { OutcomeNote } from '~/components/bulk-outcome-note';
import { formatBytes } from '~/components/format';
import { StatusBadge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { ScrollArea } from '~/components/ui/scroll-area';
import { TimeAgo } from '~/components/ui/time';
import { useDebounced } from '~/components/use-debounced';
import { useTRPC } from '~/trpc/react';
import { type AgentSort, agentsQueryInput, observedStates, sorts } from './agents-query';
import { MoveAgentButton } from './move-agent';

const commandButtons = [
  ['restart', RotateCw, 'Restart'],
  ['stop', Square, 'Stop'],
  ['start', Play, 'Start'],
] as const;

const verbs = {
  restart: 'Restart requested for',
  stop: 'Stop requested for',
  start: 'Start requested for',
} as const;

/**
 * Every agent: owner, host, wanted and observed state, CPU and memory now, the last run. Filter, sort,
 * select many and start, stop or restart them; each agent answers for itself (one in the wrong state
 * does not hold up the rest), and each change is a run in its owner's timeline.
 */
export function AgentsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState('');
  const [hostId, setHostId] = useState('');
  const [sort, setSort] = useState<AgentSort>('username');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcomeNote | null>(null);
  const list = useQuery({
    ...trpc.admin.agents.list.queryOptions(agentsQueryInput({ state, hostId, q, sort })),
    // Runs move agents along; every 5 s shows each step's effect without a reload.
    refetchInterval: 5_000,
  });
  const hosts = useQuery(trpc.admin.hosts.list.queryOptions());
  const rows = list.data ?? [];
  const ids = rows.filter((r) => selected.has(r.id)).map((r) => r.id);

  const command = useMutation(
    trpc.admin.agents.command.mutationOptions({
      onSuccess: (data, input) => {
        const names = new Map(rows.map((r) => [r.id, r.username]));
        const results: BulkOutcome[] = data.results;
        setOutcome({
          text: outcomeText(verbs[input.command], results, (id) => names.get(id) ?? 'an agent'),
          tone: outcomeTone(results),
        });
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.admin.agents.list.queryKey() });
      },
      onError: (e) => setOutcome({ text: e.message, tone: 'danger' }),
    }),
  );
  const run = (c: 'start' | 'stop' | 'restart') => {
    setOutcome(null);
    command.mutate({ ids, command: c });
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const count = ids.length ? ` (${ids.length})` : '';

  return (
    <Card
      title={`${rows.length}${rows.length === 500 ? '+' : ''} agent${rows.length === 1 ? '' : 's'}`}
      actions={
        <div className="flex flex-wrap gap-2">
          {commandButtons.map(([c, Icon, label]) => (
            <Button
              key={c}
              variant="secondary"
              disabled={!ids.length || command.isPending}
              onClick={() => run(c)}
            >
              <Icon aria-hidden="true" className="size-4" />
              {label}
              {count}
            </Button>
          ))}
        </div>
      }
    >
      <div className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-56 sm:flex-1">
          Search
          <input
            type="search"
            className="rounded-md border border-border bg-surface px-2 py-1"
            placeholder="username or email"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          State
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={state}
            onChange={(e) => setState(e.target.value)}
          >
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
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={hostId}
            onChange={(e) => setHostId(e.target.value)}
          >
            <option value="">any</option>
            {(hosts.data ?? []).map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Sort by
          <select
            className="rounded-md border border-border bg-surface px-2 py-1"
            value={sort}
            onChange={(e) => setSort(e.target.value as AgentSort)}
          >
            {sorts.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </label>
      </div>
      <OutcomeNote outcome={outcome} />
      {list.isLoading ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : list.error ? (
        <p role="alert" className="text-sm text-danger">
          {list.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState icon={SearchX}>No agent matches.</EmptyState>
      ) : (
        <ScrollArea label="Agents">
          <table className="stack-table w-full text-left text-sm">
            <thead className="text-muted">
              <tr>
                <th className="w-8 py-2 pr-3">
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={ids.length === rows.length}
                    onChange={(e) =>
                      setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())
                    }
                  />
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
                    <input
                      type="checkbox"
                      aria-label={`Select ${r.username}`}
                      checked={selected.has(r.id)}
                      onChange={() => toggle(r.id)}
                    />
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
                    {r.host && hosts.data ? (
                      <div>
                        <MoveAgentButton
                          agentId={r.id}
                          username={r.username}
                          hostId={r.host.id}
                          hosts={hosts.data}
                        />
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
  );
}
