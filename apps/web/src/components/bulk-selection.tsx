'use client';

import { createContext, type ReactNode, useContext, useState } from 'react';
import { type BulkOutcome, type BulkOutcomeNote, outcomeText, outcomeTone } from './bulk-outcome';
import { OutcomeNote } from './bulk-outcome-note';

/** A row of a server-rendered list that can be selected: its id and the name the list shows for it. */
export type SelectableRow = { id: string; name: string };

type Selection = {
  rows: readonly SelectableRow[];
  selected: ReadonlySet<string>;
  setSelected: (next: Set<string>) => void;
  outcome: BulkOutcomeNote | null;
  setOutcome: (next: BulkOutcomeNote | null) => void;
  error: string | null;
  setError: (next: string | null) => void;
};

const SelectionContext = createContext<Selection | null>(null);

function useSelectionContext(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error('Selection controls belong inside <BulkSelection>.');
  return selection;
}

/**
 * The selection of a list whose table is rendered on the server (approvals, people, agents): the checkboxes, the
 * bulk actions' buttons and the line saying what the last one did are small islands sharing this state,
 * while the rows themselves stay server HTML. `rows` are the rows shown now: after the page re-renders
 * (a poll, another admin's change) those gone are neither counted in the buttons nor sent again.
 */
export function BulkSelection({ rows, children }: { rows: readonly SelectableRow[]; children: ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcomeNote | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <SelectionContext value={{ rows, selected, setSelected, outcome, setOutcome, error, setError }}>
      {children}
    </SelectionContext>
  );
}

/** The checkbox of one row. */
export function SelectRow({ id }: { id: string }) {
  const { rows, selected, setSelected } = useSelectionContext();
  const name = rows.find((r) => r.id === id)?.name ?? id;
  return (
    <input
      type="checkbox"
      aria-label={`Select ${name}`}
      checked={selected.has(id)}
      onChange={() => {
        const next = new Set(selected);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        setSelected(next);
      }}
    />
  );
}

/** Selects every row shown, or none. */
export function SelectAll({ label }: { label: string }) {
  const { rows, selected, setSelected } = useSelectionContext();
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={all}
      onChange={(e) => setSelected(new Set(e.target.checked ? rows.map((r) => r.id) : []))}
    />
  );
}

/**
 * For a bulk action's island: the selected ids still shown, `start()` to clear the last action's note
 * and error, and `finish()` with the action's answer, which says whom it changed by the names the list
 * showed and clears the selection, or shows the refusal.
 */
export function useBulkSelection() {
  const { rows, selected, setSelected, setOutcome, setError } = useSelectionContext();
  const ids = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  // The names as shown when the action started: the rows it changed may be gone once the page re-renders.
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return {
    ids,
    start() {
      setOutcome(null);
      setError(null);
    },
    finish(
      verb: string,
      answer: { ok: true; data: readonly BulkOutcome[] } | { ok: false; error: string },
    ): boolean {
      if (!answer.ok) {
        setError(answer.error);
        return false;
      }
      setOutcome({
        text: outcomeText(verb, answer.data, (id) => names.get(id) ?? 'someone'),
        tone: outcomeTone(answer.data),
      });
      setSelected(new Set());
      return true;
    },
  };
}

/** What the last bulk action did, above the list. */
export function BulkOutcomeLine() {
  return <OutcomeNote outcome={useSelectionContext().outcome} />;
}

/** Why the last bulk action was refused. */
export function BulkErrorLine({ className = '' }: { className?: string }) {
  const { error } = useSelectionContext();
  return error ? (
    <p role="alert" className={`text-sm text-danger ${className}`}>
      {error}
    </p>
  ) : null;
}
