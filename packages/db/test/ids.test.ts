import { expect, test } from 'vitest';
import { timeOrderedId } from '../src/ids';

test('ids made in the same millisecond sort in creation order', () => {
  const at = Date.now() + 60_000;
  const ids = Array.from({ length: 5000 }, () => timeOrderedId(at));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('ids are UUIDv7-shaped and sort by their timestamp', () => {
  const early = timeOrderedId(Date.now() + 120_000);
  const late = timeOrderedId(Date.now() + 180_000);
  expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(early < late).toBe(true);
});
