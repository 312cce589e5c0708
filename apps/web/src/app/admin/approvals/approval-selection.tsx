'use client';

import { createContext, type ReactNode, useContext, useState } from 'react';
import { type BulkOutcomeNote, outcomeText, outcomeTone } from '~/components/bulk-outcome';
import { OutcomeNote } from '~/components/bulk-outcome-note';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { useAction } from '~/components/use-action';
import { approvePeople, rejectPeople } from './actions';

interface Selection {
  selected: ReadonlySet<string>;
  allSelected: boolean;
  toggle(id: string): void;
  selectAll(on: boolean): void;
}

const SelectionContext = createContext<Selection | null>(null);

function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error('A selection box is outside ApprovalQueue.');
  return selection;
}

/**
 * The queue's controls: the selection, Approve, and Reject with a reason. The rows are rendered on
 * the server (page.tsx) and hold only the checkboxes below; this island keeps which are ticked, and
 * after an action says what it did, naming whom.
 */
export function ApprovalQueue({
  people,
  waiting,
  approveIcon,
  children,
}: {
  /** Who the rows show now, with the name they show. */
  people: { id: string; name: string }[];
  waiting: number;
  approveIcon: ReactNode;
  children: ReactNode;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<BulkOutcomeNote | null>(null);
  const approve = useAction(approvePeople);
  const reject = useAction(rejectPeople);
  // Only people still in the list: the refresh drops those another admin approved or rejected
  // meanwhile, and they must not be counted in the buttons or sent again.
  const ids = people.filter((p) => selected.has(p.id)).map((p) => p.id);
  const names = new Map(people.map((p) => [p.id, p.name]));

  async function act(verb: 'Approved' | 'Rejected', run: () => ReturnType<typeof approve.run>) {
    // Clear the last action's error and outcome, so what shows is always about the latest action.
    approve.reset();
    reject.reset();
    setOutcome(null);
    const answer = await run();
    if (!answer.ok) return;
    setOutcome({
      text: outcomeText(verb, answer.data, (id) => names.get(id) ?? 'someone'),
      tone: outcomeTone(answer.data),
    });
    setSelected(new Set());
    setReason('');
  }

  const selection: Selection = {
    selected,
    allSelected: people.length > 0 && ids.length === people.length,
    toggle: (id) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    selectAll: (on) => setSelected(on ? new Set(people.map((p) => p.id)) : new Set()),
  };

  return (
    <Card
      title={`Waiting (${waiting})`}
      actions={
        <div className="flex gap-2">
          <Button
            disabled={!ids.length || approve.pending}
            onClick={() => act('Approved', () => approve.run({ ids }))}
          >
            {approveIcon}
            Approve {ids.length ? `(${ids.length})` : ''}
          </Button>
        </div>
      }
    >
      <OutcomeNote outcome={outcome} />
      <SelectionContext.Provider value={selection}>{children}</SelectionContext.Provider>
      <form
        className="mt-6 flex flex-col gap-3 border-t border-border pt-4 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          void act('Rejected', () => reject.run({ ids, reason }));
        }}
      >
        <div className="flex-1">
          <Field
            id="reject-reason"
            label="Reason for rejecting the selected people"
            hint="They see this reason."
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
          />
        </div>
        <Button type="submit" variant="danger" disabled={!ids.length || !reason.trim() || reject.pending}>
          Reject {ids.length ? `(${ids.length})` : ''}
        </Button>
      </form>
      {approve.error || reject.error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {approve.error ?? reject.error}
        </p>
      ) : null}
    </Card>
  );
}

/** One row's checkbox. */
export function SelectBox({ id, label }: { id: string; label: string }) {
  const selection = useSelection();
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={selection.selected.has(id)}
      onChange={() => selection.toggle(id)}
    />
  );
}

/** The header's "Select all". */
export function SelectAllBox() {
  const selection = useSelection();
  return (
    <input
      type="checkbox"
      aria-label="Select all"
      checked={selection.allSelected}
      onChange={(e) => selection.selectAll(e.target.checked)}
    />
  );
}
