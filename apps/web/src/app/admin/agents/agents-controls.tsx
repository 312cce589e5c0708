'use client';

import { useRouter } from 'next/navigation';
import { createContext, lazy, type ReactNode, Suspense, use, useRef, useState } from 'react';
import { Button } from '~/components/ui/button';
import { useToast } from '~/components/ui/toast';
import { useAction } from '~/components/use-action';
import { commandAgents } from './actions';
import type { MoveTarget, Moving } from './move-agent';

// The Agents page's islands. The table is rendered on the server (agents-table.tsx); what happens in
// the browser is the filters (into the URL), the selection with its commands, and "Move…".

const MoveAgentDialog = lazy(() => import('./move-agent'));

interface Controls {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  /** The selected agents among the rows shown. */
  ids: string[];
  rows: readonly { id: string; username: string }[];
  selectAll: (all: boolean) => void;
  /** The line above the list saying what the last command did, as the server rendered it. */
  outcome: ReactNode;
  setOutcome: (o: ReactNode) => void;
  move: (m: Moving) => void;
}

const ControlsContext = createContext<Controls | null>(null);
const useControls = () => use(ControlsContext) as Controls;

/**
 * Holds what the table's islands share: the selection (kept across the page's re-renders, counted
 * among the rows shown), the last bulk outcome, and the one "Move" dialog, fetched on its first use.
 */
export function AgentsControls({
  rows,
  hosts,
  children,
}: {
  rows: { id: string; username: string }[];
  hosts: MoveTarget[];
  children: ReactNode;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<ReactNode>(null);
  const [moving, setMoving] = useState<Moving | null>(null);
  const [moveOpened, setMoveOpened] = useState(false);
  const controls: Controls = {
    selected,
    toggle: (id) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    ids: rows.filter((r) => selected.has(r.id)).map((r) => r.id),
    rows,
    selectAll: (all) => setSelected(all ? new Set(rows.map((r) => r.id)) : new Set()),
    outcome,
    setOutcome,
    move: (m) => {
      setMoveOpened(true);
      setMoving(m);
    },
  };
  return (
    <ControlsContext value={controls}>
      {children}
      {moveOpened ? (
        <Suspense fallback={null}>
          <MoveAgentDialog moving={moving} hosts={hosts} onClose={() => setMoving(null)} />
        </Suspense>
      ) : null}
    </ControlsContext>
  );
}

const commands = { restart: 'Restart', stop: 'Stop', start: 'Start' } as const;
type Command = keyof typeof commands;

/**
 * Start, stop or restart the selection; each agent answers for itself, in the line above the list.
 * `icons` are drawn by the server, one per command.
 */
export function BulkCommands({ icons }: { icons: Record<Command, ReactNode> }) {
  const { ids, rows, selectAll, setOutcome } = useControls();
  const toast = useToast();
  const command = useAction(commandAgents);
  const count = ids.length ? ` (${ids.length})` : '';
  async function run(c: Command) {
    setOutcome(null);
    const names = ids.map((id) => rows.find((r) => r.id === id)?.username ?? '');
    const answer = await command.run({ ids, command: c, names });
    if (!answer.ok) {
      toast(answer.error, 'error');
      return;
    }
    setOutcome(answer.data);
    selectAll(false);
  }
  return (
    <div className="flex flex-wrap gap-2">
      {(Object.keys(commands) as Command[]).map((c) => (
        <Button key={c} variant="secondary" disabled={!ids.length || command.pending} onClick={() => run(c)}>
          {icons[c]}
          {commands[c]}
          {count}
        </Button>
      ))}
    </div>
  );
}

/** The line that says what the last command did. */
export function BulkOutcomeLine() {
  return useControls().outcome;
}

export function SelectAll() {
  const { ids, rows, selectAll } = useControls();
  return (
    <input
      type="checkbox"
      aria-label="Select all"
      checked={rows.length > 0 && ids.length === rows.length}
      onChange={(e) => selectAll(e.target.checked)}
    />
  );
}

export function SelectAgent({ id, username }: { id: string; username: string }) {
  const { selected, toggle } = useControls();
  return (
    <input
      type="checkbox"
      aria-label={`Select ${username}`}
      checked={selected.has(id)}
      onChange={() => toggle(id)}
    />
  );
}

/** "Move…" for one agent: opens the page's move dialog for it. */
export function MoveAgentButton(moving: Moving) {
  const { move } = useControls();
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
