import type { BulkResult } from '@pocket-smyth/core';

/**
 * What a bulk approve or reject did, naming the people: "Approved alice." / "Approved alice and 2
 * others." and, for those left as they were, why. `nameOf` gives the name the queue showed (the username,
 * else the address).
 */
export function outcomeText(
  verb: 'Approved' | 'Rejected',
  results: readonly BulkResult[],
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
