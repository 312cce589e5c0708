import { type BulkOutcomeNote, outcomeToneClass } from './bulk-outcome';

/** The line above a list that says what its last bulk action did (approvals, agents). */
export function OutcomeNote({ outcome }: { outcome: BulkOutcomeNote | null }) {
  if (!outcome) return null;
  return (
    <p role="status" className={`mb-4 rounded-md border px-3 py-2 text-sm ${outcomeToneClass[outcome.tone]}`}>
      {outcome.text}
    </p>
  );
}
