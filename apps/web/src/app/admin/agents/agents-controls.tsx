'use client';

import { useRouter } from 'next/navigation';
import { createContext, lazy, type ReactNode, Suspense, use, useRef, useState } from 'react';
import { BulkSelection, type SelectableRow, useBulkSelection } from '~/components/bulk-selection';
import { Button } from '~/components/ui/button';
import { useAction } from '~/components/use-action';
import { commandAgents } from './actions';
import type { MoveTarget, Moving } from './move-agent';

// The Agents page's islands. The table is rendered on the server (agents-table.tsx); what happens in
// the browser is the filters (into the URL), the selection with its commands (the shared
// BulkSelection, as on Approvals and People), and "Move…".

const MoveAgentDialog = lazy(() => import('./move-agent'));

const MoveContext = createContext<((m: Moving) => void) | null>(null);

/**
 * Holds what the table's islands share: the selection (components/bulk-selection.tsx) and the one
 * "Move" dialog, fetched on its first use.
 */
export function AgentsControls({
  rows,
  hosts,
  children,
}: {
  rows: SelectableRow[];
  hosts: MoveTarget[];
  children: ReactNode;
}) {
  const [moving, setMoving] = useState<Moving | null>(null);
  const [moveOpened, setMoveOpened] = useState(false);
  const move = (m: Moving) => {
    setMoveOpened(true);
    setMoving(m);
  };
  return (
    <BulkSelection rows={rows}>
      <MoveContext value={move}>
        {children}
        {moveOpened ? (
          <Suspense fallback={null}>
            <MoveAgentDialog moving={moving} hosts={hosts} onClose={() => setMoving(null)} />
          </Suspense>
        ) : null}
      </MoveContext>
    </BulkSelection>
  );
}

const commands = {
  restart: { label: 'Restart', verb: 'Restart requested for' },
  stop: { label: 'Stop', verb: 'Stop requested for' },
  start: { label: 'Start', verb: 'Start requested for' },
} as const;
type Command = keyof typeof commands;

/**
 * Start, stop or restart the selection; each agent answers for itself, in the line above the list.
 * `icons` are drawn by the server, one per command.
 */
export function BulkCommands({ icons }: { icons: Record<Command, ReactNode> }) {
  const selection = useBulkSelection();
  const command = useAction(commandAgents);
  const { ids } = selection;
  const count = ids.length ? ` (${ids.length})` : '';
  async function run(c: Command) {
    selection.start();
    selection.finish(commands[c].verb, await command.run({ ids, command: c }));
  }
  return (
    <div className="flex flex-wrap gap-2">
      {(Object.keys(commands) as Command[]).map((c) => (
        <Button key={c} variant="secondary" disabled={!ids.length || command.pending} onClick={() => run(c)}>
          {icons[c]}
          {commands[c].label}
          {count}
        </Button>
      ))}
    </div>
  );
}

/** "Move…" for one agent: opens the page's move dialog for it. */
export function MoveAgentButton(moving: Moving) {
  const move = use(MoveContext)!;
  return (
    <Button variant="secondary" className="mt-1 px-2 py-0.5 text-xs" onClick={() => move(moving)}>
      Move…
      <span className="sr-only"> {moving.username}</span>
    </Button>
  );
}

/**
 * The filters form (agents-table.tsx renders its fields on the server): each choice goes into the URL
 * at once, the search once typing pauses, and the server renders the list for it. Without script it is
 * a plain GET form.
 */
export function FiltersForm({ children }: { children: ReactNode }) {
  const router = useRouter();
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  const show = (form: HTMLFormElement) => {
    clearTimeout(typing.current);
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      const v = String(value).trim();
      // The defaults stay out of the URL, so the plain list is plain `/admin/agents`.
      if (v && !(key === 'sort' && v === 'username')) params.set(key, v);
    }
    const query = params.toString();
    router.replace(`${location.pathname}${query ? `?${query}` : ''}`, { scroll: false });
  };
  return (
    <form
      method="get"
      className="mb-4 flex flex-wrap items-end gap-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        show(e.currentTarget);
      }}
      onChange={(e) => {
        const form = e.currentTarget;
        if ((e.target as { type?: string }).type !== 'search') show(form);
        else {
          clearTimeout(typing.current);
          typing.current = setTimeout(() => show(form), 250);
        }
      }}
    >
      {children}
    </form>
  );
}
