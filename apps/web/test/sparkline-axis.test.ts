/** The chart's time axis names the start of its window in words (components/format.ts, drawn by components/ui/sparkline.tsx). */
import { describe, expect, it } from 'vitest';
import { windowStartLabel } from '../src/components/format';

describe('windowStartLabel', () => {
  it('says minutes up to an hour and a half, hours beyond', () => {
    expect(windowStartLabel(3_600_000)).toBe('60 min ago');
    expect(windowStartLabel(6 * 3_600_000)).toBe('6 h ago');
    expect(windowStartLabel(24 * 3_600_000)).toBe('24 h ago');
    expect(windowStartLabel(90_000)).toBe('2 min ago');
    expect(windowStartLabel(20_000)).toBe('20 s ago');
  });
});
