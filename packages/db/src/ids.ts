import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A time-ordered id (UUIDv7 layout, RFC 9562 method 1): 48 bits of milliseconds, then a 12-bit counter
 * that keeps ids made in the same millisecond in creation order, then random bits. Sorting by id sorts
 * by creation time within this process, which keeps the activity log's order exact for events that
 * share a timestamp.
 */
export function timeOrderedId(at: number = Date.now()): string {
  let ms = at;
  if (ms <= lastMs) {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      // Counter exhausted within one millisecond: borrow the next one.
      ms = lastMs + 1;
      sequence = 0;
    }
  } else {
    sequence = 0;
  }
  lastMs = ms;

  const bytes = randomBytes(16);
  const msBig = BigInt(ms);
  for (let i = 0; i < 6; i++) bytes[i] = Number((msBig >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
