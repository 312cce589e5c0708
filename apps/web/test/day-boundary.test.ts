import { describe, expect, it } from 'vitest';
import { dayBoundary } from '../src/components/format';

describe('dayBoundary', () => {
  it('gives the first and last millisecond of a day on the zone’s clocks', () => {
    expect(dayBoundary('2026-12-02', 'start', 'Asia/Tokyo').toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(dayBoundary('2026-12-02', 'end', 'Asia/Tokyo').toISOString()).toBe('2026-12-02T14:59:59.999Z');
    expect(dayBoundary('2026-12-02', 'start', 'America/New_York').toISOString()).toBe(
      '2026-12-02T05:00:00.000Z',
    );
    expect(dayBoundary('2026-12-02', 'start', 'UTC').toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(dayBoundary('2026-07-01', 'start', 'Asia/Kolkata').toISOString()).toBe('2026-06-30T18:30:00.000Z');
  });

  it('holds on days when the clocks change', () => {
    // New York springs forward at 02:00 on 8 March 2026 (-05:00 → -04:00) and falls back on 1 November.
    expect(dayBoundary('2026-03-08', 'start', 'America/New_York').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(dayBoundary('2026-03-08', 'end', 'America/New_York').toISOString()).toBe(
      '2026-03-09T03:59:59.999Z',
    );
    expect(dayBoundary('2026-11-01', 'start', 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    expect(dayBoundary('2026-11-01', 'end', 'America/New_York').toISOString()).toBe(
      '2026-11-02T04:59:59.999Z',
    );
    // Lord Howe moves by half an hour (+11:00 → +10:30 on 5 April 2026).
    expect(dayBoundary('2026-04-05', 'end', 'Australia/Lord_Howe').toISOString()).toBe(
      '2026-04-05T13:29:59.999Z',
    );
    // Sydney falls back at 03:00 on 5 April (+11:00 → +10:00); the day before ends under +11:00.
    expect(dayBoundary('2026-04-05', 'start', 'Australia/Sydney').toISOString()).toBe(
      '2026-04-04T13:00:00.000Z',
    );
    expect(dayBoundary('2026-04-04', 'end', 'Australia/Sydney').toISOString()).toBe(
      '2026-04-04T12:59:59.999Z',
    );
  });

  it('starts a day without a midnight at the first minute it has, and ends a day whose last hour repeats at its second', () => {
    // Havana and Santiago jump from 23:59:59 to 01:00 (Havana on 8 March, Santiago on 6 September).
    expect(dayBoundary('2026-03-08', 'start', 'America/Havana').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(dayBoundary('2026-09-06', 'start', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
    // Beirut jumps at midnight on 29 March: the day starts at 01:00 (+03:00).
    expect(dayBoundary('2026-03-29', 'start', 'Asia/Beirut').toISOString()).toBe('2026-03-28T22:00:00.000Z');
    // Santiago goes back from 24:00 to 23:00 on 4 April: 23:00–23:59 happens twice, -03:00 then -04:00.
    expect(dayBoundary('2026-04-04', 'end', 'America/Santiago').toISOString()).toBe(
      '2026-04-05T03:59:59.999Z',
    );
  });

  it('uses the runtime’s zone without one', () => {
    expect(dayBoundary('2026-12-02', 'start').getTime()).toBe(new Date('2026-12-02T00:00:00').getTime());
  });
});
