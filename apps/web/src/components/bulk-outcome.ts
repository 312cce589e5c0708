/** One id's result of a bulk action, as the bulk procedures answer it. */
export type BulkOutcome = { id: string; ok: true } | { id: string; ok: false; message: string };

/**
 * What a bulk action did, naming whom: "Approved alice." / "Approved alice and 2 others." and, for
 * those left as they were, why. `nameOf` gives the name the list showed (a username, else an address).
 */
export function outcomeText(
  verb: string,
  results: readonly BulkOutcome[],
  nameOf: (id: string) => string,
): string {
  const changed = results.filter((r) => r.ok).map((r) => nameOf(r.id));
  const failed = results.filter((r) => !r.ok);
  const first = changed[0];
  const done =
    first === undefined
      ? 'Nobody changed.'
      : changed.length === 1
        ? `${verb} ${first}.`
        : changed.length === 2
          ? `${verb} ${first} and ${changed[1]}.`
          : `${verb} ${first} and ${changed.length - 1} others.`;
  if (failed.length === 0) return done;
  return `${done} ${failed.length} not changed: ${failed.map((f) => (f.ok ? '' : f.message)).join(' ')}`;
}

/** Green when every one changed, amber when some did not, red when none did. */
export function outcomeTone(results: readonly BulkOutcome[]): 'ok' | 'warn' | 'danger' {
  const failed = results.filter((r) => !r.ok).length;
  return failed === 0 ? 'ok' : failed < results.length ? 'warn' : 'danger';
}

/** What the list shows after a bulk action: its words and their tone. */
export type BulkOutcomeNote = { text: string; tone: ReturnType<typeof outcomeTone> };

export const outcomeToneClass = {
  ok: 'border-ok/40 bg-ok/10',
  warn: 'border-warn/40 bg-warn/10',
  danger: 'border-danger/40 bg-danger/10 text-danger',
} as const;
