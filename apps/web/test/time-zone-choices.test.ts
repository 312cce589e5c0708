/**
 * The time-zone list of onboarding and the dashboard's preferences: every zone once (each is an
 * option's React key), with the stored and the detected zone listed even where the browser's own list
 * spells them differently (Chromium's and Node's have no "UTC").
 */
import { describe, expect, it } from 'vitest';
import { timeZoneChoices } from '../src/components/time-zones';

const unique = (zones: string[]) => new Set(zones).size === zones.length;

describe('timeZoneChoices', () => {
  it('lists UTC once when it is both the stored and the detected zone', () => {
    const zones = timeZoneChoices(['UTC', 'UTC'], ['Africa/Abidjan', 'Europe/Paris']);
    expect(zones).toEqual(['UTC', 'Africa/Abidjan', 'Europe/Paris']);
  });

  it('keeps every zone unique with the runtime’s own list, whatever is stored and detected', () => {
    for (const keep of [
      ['UTC', 'UTC'],
      ['', 'UTC'],
      ['Europe/Paris', 'UTC'],
      ['Europe/Paris', 'Europe/Paris'],
      ['Asia/Calcutta', 'Asia/Kolkata'],
    ]) {
      const zones = timeZoneChoices(keep);
      expect(unique(zones), keep.join(' + ')).toBe(true);
      for (const zone of keep.filter(Boolean)) expect(zones).toContain(zone);
      expect(zones).not.toContain('');
    }
  });
});
